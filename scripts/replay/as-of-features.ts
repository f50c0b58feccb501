/**
 * Which parts of a decision's features a rebuilt profile store can reproduce for an older
 * decision (not a merchant's newest), and the features to recompute it with.
 *
 * A profile read as of an instant is "as of" only in part: its windows and receivable count
 * the events dated up to that instant's day, but some fields are the store's latest state,
 * whatever instant it is read as of. After a rebuild from the whole log the store holds the
 * state after the *last* event, so for an older decision those fields differ from what it saw,
 * through no fault of the profile. They are taken from the stored features instead (the
 * decision is recomputed with them), and the report lists them as not checked.
 */
import { toJsonSafe, type JsonValue } from '@lendstream/credit';
import { DAY_COUNTER_NAMES, type MerchantProfile, type WindowTotals } from '@lendstream/profile';

/** The latest-state fields of a profile snapshot, and why each cannot be read as of an instant. */
export const LATEST_STATE_FIELDS: Readonly<Record<string, string>> = {
  inventory: "the warehouses' latest snapshots, not as of the decision",
  stockKeepingUnitsOutOfStock: "each SKU's latest stock event, not as of the decision",
  newestEventAt: 'the newest event the store has applied, later than any older decision',
  coverage:
    'windowsExact and receivablesExact depend on the days the store keeps after its newest event, appliedPositions on its latest offsets',
};

type JsonObject = { readonly [key: string]: JsonValue };

const isObject = (value: JsonValue | null): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The rebuilt features with every latest-state field replaced by the stored one, so that only
 * the as-of fields (windows, receivable, first event, currency, asOf) are checked. Features
 * that are not a profile snapshot are returned as they are (the comparison then reports them).
 */
export function withStoredLatestState(stored: JsonValue | null, rebuilt: JsonValue): JsonValue {
  if (!isObject(stored) || !isObject(rebuilt)) return rebuilt;
  const merged: { [key: string]: JsonValue } = { ...rebuilt };
  for (const field of Object.keys(LATEST_STATE_FIELDS)) {
    const value = stored[field];
    if (value === undefined) delete merged[field];
    else merged[field] = value;
  }
  return merged;
}

/**
 * Whether the older decision's `asOf` day was complete when it read its profile. The windows
 * include the whole UTC day of `asOf`, and a decision reads the store as the profiler has
 * applied it so far: when the store's newest event at the time (the stored `newestEventAt`)
 * was on a later day, that day was complete (a merchant's events arrive in order on its
 * partition) and the rebuild reproduces every window. Otherwise later events of that day may
 * not have arrived yet: only the days before it can be compared (`settledDays`).
 */
export function asOfDayWasComplete(stored: MerchantProfile): boolean {
  return dayOf(stored.newestEventAt) > dayOf(stored.asOf);
}

const dayOf = (instant: string): number => Math.floor(Date.parse(instant) / 86_400_000);

/** Every count a window holds: the day counters, and the two the windows derive from them. */
const COUNTERS = [
  ...DAY_COUNTER_NAMES,
  'shipmentsDeliveredOnTime',
  'activeDays',
] as const satisfies readonly (keyof WindowTotals)[];

/**
 * The part of a profile that covers only the whole days before `asOf`'s: each window less its
 * last day (the 1-day window), the receivable through the day before, the first event and the
 * currency. A decision made while its day was still arriving saw exactly these, as a rebuild does.
 */
export function settledDays(profile: MerchantProfile): JsonValue {
  const today = profile.windows[1];
  const before = (window: WindowTotals) =>
    Object.fromEntries(
      COUNTERS.map((counter) => [counter, toJsonSafe(BigInt(window[counter]) - BigInt(today[counter]))]),
    );
  return toJsonSafe({
    merchantId: profile.merchantId,
    asOf: profile.asOf,
    currency: profile.currency,
    firstSeenAt: profile.firstSeenAt,
    windowsBeforeAsOfDay: {
      7: before(profile.windows[7]),
      30: before(profile.windows[30]),
      90: before(profile.windows[90]),
    },
    receivablesThroughDayBefore:
      profile.receivablesOutstandingMinor -
      (today.paidAmountMinor - today.refundedAmountMinor - today.settledAmountMinor),
  });
}
