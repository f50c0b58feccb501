/**
 * Business time as lending reads it. Time is always an argument (an RFC 3339 instant), never
 * the machine's clock, so tests and the demo can run ninety days in minutes. Interest,
 * due dates and days past due are counted in UTC calendar days ("business days" here means
 * every calendar day, weekends included: a loan's money is out on a Sunday too), written
 * `YYYY-MM-DD` because that is also how a day appears in an idempotency key.
 */
export type BusinessDay = string;

export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * Milliseconds since the epoch of an instant. Instants reach the pure core from validated
 * events or the injected clock, so one that does not parse is a broken invariant: it throws.
 */
export function instantMs(label: string, instant: string): number {
  const ms = Date.parse(instant);
  if (typeof instant !== 'string' || Number.isNaN(ms))
    throw new RangeError(`${label} is not an RFC 3339 instant: ${String(instant)}`);
  return ms;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day; throws on anything that is not a real calendar day. */
export function epochDayOf(day: BusinessDay): number {
  if (typeof day !== 'string' || !DAY_PATTERN.test(day))
    throw new RangeError(`not a YYYY-MM-DD day: ${String(day)}`);
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day)
    throw new RangeError(`not a calendar day: ${day}`);
  return ms / DAY_MS;
}

/** The `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayOfEpochDay(epochDay: number): BusinessDay {
  if (!Number.isSafeInteger(epochDay)) throw new RangeError(`not a whole day number: ${epochDay}`);
  const text = new Date(epochDay * DAY_MS).toISOString();
  if (!/^[0-9]{4}-/.test(text)) throw new RangeError(`day ${epochDay} is outside years 0000-9999`);
  return text.slice(0, 10);
}

/** The UTC calendar day an instant falls on, as a day number. */
export const epochDayOfInstant = (label: string, instant: string): number =>
  Math.floor(instantMs(label, instant) / DAY_MS);

/** The UTC calendar day an instant falls on: `2026-11-12T02:00:00+08:00` is still `2026-11-11` in UTC. */
export const businessDayOf = (instant: string): BusinessDay =>
  dayOfEpochDay(epochDayOfInstant('instant', instant));

export const addDays = (day: BusinessDay, days: number): BusinessDay => dayOfEpochDay(epochDayOf(day) + days);

/** Whole days from one day to another (negative when `to` is earlier). */
export const daysBetween = (from: BusinessDay, to: BusinessDay): number => epochDayOf(to) - epochDayOf(from);

/** The last millisecond of a day: when a day's interest is booked, and when a loan falls due. */
export const endOfDay = (day: BusinessDay): string => `${dayOfEpochDay(epochDayOf(day))}T23:59:59.999Z`;

/** The later of two instants, as given (one of the two strings, unchanged). */
export const laterInstant = (first: string, second: string): string =>
  instantMs('instant', second) > instantMs('instant', first) ? second : first;
