import { timestampMs } from '@lendstream/contracts';

/**
 * Event time, bucketed. Windows are computed on the event's own `time`, never on arrival
 * time, so a replay of the same events lands every event in the same bucket (DESIGN.md).
 */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * Day indexes are stored in 16 bits (see the Redis layout), which reaches 2149-06-06; an
 * event dated outside [1970, 2149) is refused rather than silently wrapped.
 */
export const EVENT_DAY_MAX = 65_535;
export const EVENT_TIME_MS_MIN = 0;
export const EVENT_TIME_MS_MAX = (EVENT_DAY_MAX + 1) * DAY_MS - 1;

/** The UTC day an instant falls on, as days since 1970-01-01. */
export const dayIndexOf = (timeMs: number): number => Math.floor(timeMs / DAY_MS);

/** The UTC hour an instant falls on, as hours since 1970-01-01T00:00Z. */
export const hourIndexOf = (timeMs: number): number => Math.floor(timeMs / HOUR_MS);

/** Midnight UTC at the start of a day index. */
export const startOfDayMs = (day: number): number => day * DAY_MS;

/** Whether an instant can be stored (see EVENT_DAY_MAX). */
export const isStorableEventTime = (timeMs: number): boolean =>
  Number.isSafeInteger(timeMs) && timeMs >= EVENT_TIME_MS_MIN && timeMs <= EVENT_TIME_MS_MAX;

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp (the contract has already checked
 * its form), as Date.parse reads it. Fractions below a millisecond are dropped: two instants
 * that close compare equal.
 */
export const parseEventTimeMs = (time: string): number => timestampMs(time);
