/**
 * Instants as the policy reads them: RFC 3339 strings in, whole UTC days out. Internal to the
 * library (not exported from its index), so it cannot clash with the profile's own helpers.
 */
export const DAY_MS = 86_400_000;

/** Milliseconds since the epoch; a string that is not an instant is a broken invariant. */
export function instantMs(label: string, time: string): number {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new RangeError(`${label} is not a timestamp: ${time}`);
  return ms;
}

/** The UTC day an instant falls on, as days since 1970-01-01. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** Whole days from one instant to a later one (negative if it is earlier). */
export const wholeDaysBetween = (from: string, to: string): number =>
  Math.floor((instantMs('to', to) - instantMs('from', from)) / DAY_MS);
