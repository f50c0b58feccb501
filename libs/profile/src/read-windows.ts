import { CARRIED_COUNTER_NAMES, DAY_COUNTER_COUNT, DAY_COUNTER_INDEX, zeroDayCounters } from './day-counters';
import { dayIndexOf, startOfDayMs } from './event-time';
import { MerchantProfile, WindowTotals } from './merchant-profile';
import {
  DEFAULT_PROFILE_RETENTION,
  firstKeptDay,
  LONGEST_WINDOW_DAYS,
  PROFILE_WINDOW_DAYS,
  ProfileRetention,
  ProfileWindowDays,
} from './profile-retention';
import { ProfileState } from './profile-state';
import { ratioOf } from './ratio';

/** Days from 1970-01-01 to 10000-01-01: past them a year has five digits, and Date writes it otherwise. */
const FOUR_DIGIT_YEAR_DAYS_END = 2_932_897;
const twoDigits = (value: number): string => (value < 10 ? `0${value}` : `${value}`);

/**
 * A day index as `YYYY-MM-DD`, exactly as `new Date(startOfDayMs(day)).toISOString().slice(0, 10)`
 * writes it, computed with integers (the civil-from-days algorithm, proleptic Gregorian like
 * Date): every read names eight window days, and a Date and an ISO string per day showed in
 * the underwriter's profile. Days outside years 0000-9999 go through Date.
 */
export function isoDayOf(day: number): string {
  if (!Number.isSafeInteger(day) || day < -719_528 || day >= FOUR_DIGIT_YEAR_DAYS_END)
    return new Date(startOfDayMs(day)).toISOString().slice(0, 10);
  const shifted = day + 719_468; // days since 0000-03-01, where a 400-year era starts
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1_460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(dayOfMonth)}`;
}

const PAID_AMOUNT = DAY_COUNTER_INDEX.paidAmountMinor;
const PAID_ORDERS = DAY_COUNTER_INDEX.paidOrders;
const REFUNDED_AMOUNT = DAY_COUNTER_INDEX.refundedAmountMinor;
const REFUNDS = DAY_COUNTER_INDEX.refunds;
const CANCELLATIONS = DAY_COUNTER_INDEX.cancellations;
const SETTLED_AMOUNT = DAY_COUNTER_INDEX.settledAmountMinor;
const STOCKOUTS = DAY_COUNTER_INDEX.stockouts;
const SHIPMENTS_DISPATCHED = DAY_COUNTER_INDEX.shipmentsDispatched;
const SHIPMENTS_DELIVERED = DAY_COUNTER_INDEX.shipmentsDelivered;
const SHIPMENTS_DELIVERED_LATE = DAY_COUNTER_INDEX.shipmentsDeliveredLate;
const SHIPMENTS_RETURNED = DAY_COUNTER_INDEX.shipmentsReturned;

/** The windows shortest first: nested windows ending on the same day are summed in one walk back. */
const WINDOW_DAYS_SHORTEST_FIRST: readonly ProfileWindowDays[] = [...PROFILE_WINDOW_DAYS].sort(
  (a, b) => a - b,
);

interface WindowSums {
  readonly totals: readonly bigint[];
  readonly activeDays: number;
}

/**
 * The sums of every window ending with `asOfDay`, walking the day records back from it once:
 * each window's sums are the running totals when the walk leaves the window. Records are
 * ascending by day (ProfileState); a record that is not is a broken invariant.
 */
function sumWindows(state: ProfileState, asOfDay: number): Map<ProfileWindowDays, WindowSums> {
  const sums = new Map<ProfileWindowDays, WindowSums>();
  const totals = zeroDayCounters();
  let activeDays = 0;
  let windowIndex = 0;
  let laterDay = Infinity;
  const days = state.days;
  for (let recordIndex = days.length - 1; recordIndex >= 0; recordIndex -= 1) {
    const record = days[recordIndex]!;
    if (record.day >= laterDay) throw new RangeError(`day records of ${state.merchantId} are not ascending`);
    laterDay = record.day;
    if (record.day > asOfDay) continue;
    while (
      windowIndex < WINDOW_DAYS_SHORTEST_FIRST.length &&
      record.day < asOfDay - WINDOW_DAYS_SHORTEST_FIRST[windowIndex]! + 1
    ) {
      sums.set(WINDOW_DAYS_SHORTEST_FIRST[windowIndex]!, { totals: totals.slice(), activeDays });
      windowIndex += 1;
    }
    if (windowIndex === WINDOW_DAYS_SHORTEST_FIRST.length) break;
    activeDays += 1;
    const counters = record.counters;
    for (let index = 0; index < DAY_COUNTER_COUNT; index += 1) totals[index]! += counters[index]!;
  }
  for (; windowIndex < WINDOW_DAYS_SHORTEST_FIRST.length; windowIndex += 1)
    sums.set(WINDOW_DAYS_SHORTEST_FIRST[windowIndex]!, { totals: totals.slice(), activeDays });
  return sums;
}

function windowTotals(windowDays: ProfileWindowDays, asOfDay: number, sums: WindowSums): WindowTotals {
  const { totals, activeDays } = sums;
  // Counts stay below 2^53 (the store refuses larger sums), so Number() is exact.
  const count = (index: number): number => Number(totals[index]!);
  const delivered = totals[SHIPMENTS_DELIVERED]!;
  const deliveredLate = totals[SHIPMENTS_DELIVERED_LATE]!;
  return {
    windowDays,
    fromDay: isoDayOf(asOfDay - windowDays + 1),
    throughDay: isoDayOf(asOfDay),
    paidAmountMinor: totals[PAID_AMOUNT]!,
    paidOrders: count(PAID_ORDERS),
    refundedAmountMinor: totals[REFUNDED_AMOUNT]!,
    refunds: count(REFUNDS),
    cancellations: count(CANCELLATIONS),
    settledAmountMinor: totals[SETTLED_AMOUNT]!,
    stockouts: count(STOCKOUTS),
    shipmentsDispatched: count(SHIPMENTS_DISPATCHED),
    shipmentsDelivered: count(SHIPMENTS_DELIVERED),
    shipmentsDeliveredOnTime: count(SHIPMENTS_DELIVERED) - count(SHIPMENTS_DELIVERED_LATE),
    shipmentsDeliveredLate: count(SHIPMENTS_DELIVERED_LATE),
    shipmentsReturned: count(SHIPMENTS_RETURNED),
    activeDays,
    rates: {
      refundRate: ratioOf(totals[REFUNDS]!, totals[PAID_ORDERS]!),
      refundAmountRate: ratioOf(totals[REFUNDED_AMOUNT]!, totals[PAID_AMOUNT]!),
      cancelRate: ratioOf(totals[CANCELLATIONS]!, totals[PAID_ORDERS]! + totals[CANCELLATIONS]!),
      onTimeDeliveryRate: ratioOf(delivered - deliveredLate, delivered),
      returnRate: ratioOf(totals[SHIPMENTS_RETURNED]!, delivered),
    },
  };
}

const CARRIED_PAID_AMOUNT = CARRIED_COUNTER_NAMES.indexOf('paidAmountMinor');
const CARRIED_REFUNDED_AMOUNT = CARRIED_COUNTER_NAMES.indexOf('refundedAmountMinor');
const CARRIED_SETTLED_AMOUNT = CARRIED_COUNTER_NAMES.indexOf('settledAmountMinor');

/** Paid − refunded − settled: the carried totals of trimmed days plus every kept day up to `asOfDay`. */
function receivablesOutstanding(state: ProfileState, asOfDay: number): bigint {
  const carried = state.carriedTotals;
  let outstanding =
    carried[CARRIED_PAID_AMOUNT]! - carried[CARRIED_REFUNDED_AMOUNT]! - carried[CARRIED_SETTLED_AMOUNT]!;
  for (const record of state.days) {
    if (record.day > asOfDay) break;
    const counters = record.counters;
    outstanding += counters[PAID_AMOUNT]! - counters[REFUNDED_AMOUNT]! - counters[SETTLED_AMOUNT]!;
  }
  return outstanding;
}

/**
 * The profile as of an instant: every rolling window (1, 7, 30, 90 days of whole UTC days,
 * ending with asOf's day), the receivable, inventory and stock-outs, and how far it can be
 * trusted. Pure: time is the argument, so the same state and instant always give the same answer.
 */
export function readWindows(
  state: ProfileState,
  asOf: Date,
  retention: ProfileRetention = DEFAULT_PROFILE_RETENTION,
): MerchantProfile {
  const asOfMs = asOf.getTime();
  if (!Number.isFinite(asOfMs)) throw new RangeError('asOf is not a valid date');
  const asOfDay = dayIndexOf(asOfMs);
  const keptFromDay = firstKeptDay(dayIndexOf(state.newestEventMs), retention);
  const sums = sumWindows(state, asOfDay);
  const windows = {} as Record<ProfileWindowDays, WindowTotals>;
  for (const windowDays of PROFILE_WINDOW_DAYS)
    windows[windowDays] = windowTotals(windowDays, asOfDay, sums.get(windowDays)!);
  const longestWindowFromDay = asOfDay - LONGEST_WINDOW_DAYS + 1;
  return {
    merchantId: state.merchantId,
    asOf: asOf.toISOString(),
    currency: state.currency,
    firstSeenAt: new Date(state.firstSeenMs).toISOString(),
    newestEventAt: new Date(state.newestEventMs).toISOString(),
    windows,
    receivablesOutstandingMinor: receivablesOutstanding(state, asOfDay),
    inventory: {
      valueMinor: state.warehouses.reduce((sum, warehouse) => sum + warehouse.inventoryValueMinor, 0n),
      onHandUnits: state.warehouses.reduce((sum, warehouse) => sum + warehouse.onHandUnits, 0n),
      warehouses: state.warehouses.length,
    },
    stockKeepingUnitsOutOfStock: outOfStockCount(state),
    coverage: {
      windowsExact: longestWindowFromDay >= keptFromDay,
      receivablesExact: asOfDay >= keptFromDay - 1,
      overflowed: state.overflowed,
      appliedPositions: state.appliedPositions,
    },
  };
}

function outOfStockCount(state: ProfileState): number {
  let outOfStock = 0;
  for (const unit of state.stockKeepingUnits) if (unit.outOfStock) outOfStock += 1;
  return outOfStock;
}
