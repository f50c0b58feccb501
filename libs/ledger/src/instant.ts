/**
 * One spelling per instant, so that an entry read back from Postgres can be compared with the
 * draft that wrote it: `2026-05-01T08:30:00+08:00`, `2026-05-01T00:30:00Z` and
 * `2026-05-01T00:30:00.000000Z` are the same business time. Postgres keeps microseconds, so
 * that is the precision of the canonical form (the ledger's adapter reads `effective_at` back
 * in exactly this form).
 *
 * Validation is stricter than Date.parse, which takes 2026-02-30 for 2 March: a journal
 * entry's business time must be exactly the instant its poster meant.
 */

const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** True for `2026-05-01T08:30:00Z`, `2026-05-01T08:30:00.123+08:00`; false for a date alone or a day that does not exist. */
export function isRfc3339DateTime(value: string): boolean {
  const match = RFC3339_DATE_TIME.exec(value);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetHour = match[7] === undefined ? 0 : Number(match[7]);
  const offsetMinute = match[8] === undefined ? 0 : Number(match[8]);
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59
  );
}

/** Postgres `timestamptz` keeps microseconds; a finer fraction would be rounded on the way in. */
export const MAX_FRACTION_DIGITS = 6;

const PARTS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Why `value` cannot be a journal entry's business time, or null when it can. */
export function instantProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !isRfc3339DateTime(value))
    return `${JSON.stringify(value)} is not an RFC 3339 date-time`;
  const fraction = PARTS.exec(value)?.[2] ?? '';
  if (fraction.length > MAX_FRACTION_DIGITS)
    return `${JSON.stringify(value)} has ${fraction.length} fraction digits; Postgres keeps ${MAX_FRACTION_DIGITS} (round it first)`;
  return null;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, six fraction digits) for an RFC 3339 date-time with at
 * most microsecond precision; throws RangeError on anything else.
 */
export function canonicalInstant(value: string): string {
  const problem = instantProblem(value);
  const parts = problem === null ? PARTS.exec(value) : null;
  if (parts === null)
    throw new RangeError(problem ?? `${JSON.stringify(value)} is not an RFC 3339 date-time`);
  const [, wholeSeconds, fraction = '', offset] = parts;
  // Offsets are whole minutes, so moving to UTC never touches the fraction of a second.
  const utcSeconds = new Date(`${wholeSeconds}${offset}`).toISOString().slice(0, 19);
  return `${utcSeconds}.${fraction.padEnd(MAX_FRACTION_DIGITS, '0')}Z`;
}
