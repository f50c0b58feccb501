/**
 * Business time as the adapters store and post it: an RFC 3339 instant in UTC with
 * milliseconds (`2026-11-11T09:31:00.120Z`), whatever the producer wrote (an offset, nine
 * fraction digits). One spelling matters: the same instant is written to timestamptz columns,
 * to journal entries (which keep at most microseconds, and compare a reposted entry with the
 * stored one) and to CloudEvents, and read back from the loan row; a time that could not make
 * that round trip exactly would make a retried transaction disagree with itself.
 */
export function businessInstant(label: string, value: string | Date): string {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new RangeError(`${label} is not an RFC 3339 instant: ${JSON.stringify(value)}`);
  if (!Number.isFinite(ms)) throw new RangeError(`${label} is not an instant: ${String(value)}`);
  const text = new Date(ms).toISOString();
  if (!/^\d{4}-/.test(text)) throw new RangeError(`${label} is outside years 0000-9999: ${String(value)}`);
  return text;
}

/** A timestamptz read back from Postgres (a Date), or null. */
export const instantOrNull = (value: Date | null): string | null =>
  value === null ? null : businessInstant('timestamp', value);
