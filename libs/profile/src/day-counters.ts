/**
 * What the profile counts per event-time day. Stored profiles depend on this list (see
 * adapters/day-record-layout.ts): changing it means a new layout version and a rebuild.
 */
export const DAY_COUNTER_NAMES = [
  'paidAmountMinor',
  'paidOrders',
  'refundedAmountMinor',
  'refunds',
  'cancellations',
  'settledAmountMinor',
  'stockouts',
  'shipmentsDispatched',
  'shipmentsDelivered',
  // Late rather than on time: usually a small number, which the Redis layout packs in 4 bits.
  'shipmentsDeliveredLate',
  'shipmentsReturned',
] as const;

export type DayCounterName = (typeof DAY_COUNTER_NAMES)[number];

export const DAY_COUNTER_COUNT = DAY_COUNTER_NAMES.length;

/** Position of each counter in a day record. */
export const DAY_COUNTER_INDEX = Object.fromEntries(
  DAY_COUNTER_NAMES.map((name, index) => [name, index]),
) as Readonly<Record<DayCounterName, number>>;

/**
 * Counters whose all-time totals survive trimming: the parts of the receivable
 * (paid − refunded − settled), which is an all-time balance, not a window.
 */
export const CARRIED_COUNTER_NAMES = [
  'paidAmountMinor',
  'refundedAmountMinor',
  'settledAmountMinor',
] as const;

export type CarriedCounterName = (typeof CARRIED_COUNTER_NAMES)[number];

export const CARRIED_COUNTER_INDEXES: readonly number[] = CARRIED_COUNTER_NAMES.map(
  (name) => DAY_COUNTER_INDEX[name],
);

/** One day's counters, indexed as DAY_COUNTER_NAMES. Counts and amounts alike are exact bigints here. */
export type DayCounterValues = readonly bigint[];

export const zeroDayCounters = (): bigint[] => new Array<bigint>(DAY_COUNTER_COUNT).fill(0n);

/** Builds a counter vector from the named increments; counters not named are zero. */
export function dayCountersOf(increments: Partial<Record<DayCounterName, bigint>>): bigint[] {
  const counters = zeroDayCounters();
  for (const name of DAY_COUNTER_NAMES) counters[DAY_COUNTER_INDEX[name]] = increments[name] ?? 0n;
  return counters;
}

/**
 * The largest integer a Lua number (an IEEE double) holds exactly. Every stored counter stays
 * at or below it; a sum that would pass it is not applied and marks the profile overflowed.
 */
export const EXACT_INTEGER_MAX = 2n ** 53n - 1n;
