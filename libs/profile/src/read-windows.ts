import {
  CARRIED_COUNTER_NAMES,
  DAY_COUNTER_COUNT,
  DAY_COUNTER_INDEX,
  DayCounterName,
  zeroDayCounters,
} from './day-counters';
import { dayIndexOf, startOfDayMs } from './event-time';
import { MerchantProfile, WindowTotals } from './merchant-profile';
import {
  DEFAULT_PROFILE_RETENTION,
  firstKeptDay,
  PROFILE_WINDOW_DAYS,
  ProfileRetention,
  ProfileWindowDays,
} from './profile-retention';
import { ProfileState } from './profile-state';
import { ratioOf } from './ratio';

const isoDay = (day: number): string => new Date(startOfDayMs(day)).toISOString().slice(0, 10);

function sumDays(
  state: ProfileState,
  fromDay: number,
  throughDay: number,
): { totals: bigint[]; activeDays: number } {
  const totals = zeroDayCounters();
  let activeDays = 0;
  for (const record of state.days) {
    if (record.day < fromDay || record.day > throughDay) continue;
    activeDays += 1;
    for (let index = 0; index < DAY_COUNTER_COUNT; index += 1) totals[index]! += record.counters[index]!;
  }
  return { totals, activeDays };
}

function windowTotals(state: ProfileState, windowDays: ProfileWindowDays, asOfDay: number): WindowTotals {
  const fromDay = asOfDay - windowDays + 1;
  const { totals, activeDays } = sumDays(state, fromDay, asOfDay);
  const total = (name: DayCounterName): bigint => totals[DAY_COUNTER_INDEX[name]]!;
  // Counts stay below 2^53 (the store refuses larger sums), so Number() is exact.
  const count = (name: DayCounterName): number => Number(total(name));
  return {
    windowDays,
    fromDay: isoDay(fromDay),
    throughDay: isoDay(asOfDay),
    paidAmountMinor: total('paidAmountMinor'),
    paidOrders: count('paidOrders'),
    refundedAmountMinor: total('refundedAmountMinor'),
    refunds: count('refunds'),
    cancellations: count('cancellations'),
    settledAmountMinor: total('settledAmountMinor'),
    stockouts: count('stockouts'),
    shipmentsDispatched: count('shipmentsDispatched'),
    shipmentsDelivered: count('shipmentsDelivered'),
    shipmentsDeliveredOnTime: count('shipmentsDelivered') - count('shipmentsDeliveredLate'),
    shipmentsDeliveredLate: count('shipmentsDeliveredLate'),
    shipmentsReturned: count('shipmentsReturned'),
    activeDays,
    rates: {
      refundRate: ratioOf(total('refunds'), total('paidOrders')),
      refundAmountRate: ratioOf(total('refundedAmountMinor'), total('paidAmountMinor')),
      cancelRate: ratioOf(total('cancellations'), total('paidOrders') + total('cancellations')),
      onTimeDeliveryRate: ratioOf(
        total('shipmentsDelivered') - total('shipmentsDeliveredLate'),
        total('shipmentsDelivered'),
      ),
      returnRate: ratioOf(total('shipmentsReturned'), total('shipmentsDelivered')),
    },
  };
}

/** Paid − refunded − settled: the carried totals of trimmed days plus every kept day up to `asOfDay`. */
function receivablesOutstanding(state: ProfileState, asOfDay: number): bigint {
  const carried = (name: (typeof CARRIED_COUNTER_NAMES)[number]) =>
    state.carriedTotals[CARRIED_COUNTER_NAMES.indexOf(name)]!;
  let outstanding =
    carried('paidAmountMinor') - carried('refundedAmountMinor') - carried('settledAmountMinor');
  for (const record of state.days) {
    if (record.day > asOfDay) break;
    const counter = (name: DayCounterName) => record.counters[DAY_COUNTER_INDEX[name]]!;
    outstanding +=
      counter('paidAmountMinor') - counter('refundedAmountMinor') - counter('settledAmountMinor');
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
  const windows = Object.fromEntries(
    PROFILE_WINDOW_DAYS.map((windowDays) => [windowDays, windowTotals(state, windowDays, asOfDay)]),
  ) as Record<ProfileWindowDays, WindowTotals>;
  const longestWindowFromDay = asOfDay - Math.max(...PROFILE_WINDOW_DAYS) + 1;
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
    stockKeepingUnitsOutOfStock: state.stockKeepingUnits.filter((unit) => unit.outOfStock).length,
    coverage: {
      windowsExact: longestWindowFromDay >= keptFromDay,
      receivablesExact: asOfDay >= keptFromDay - 1,
      overflowed: state.overflowed,
      appliedPositions: state.appliedPositions,
    },
  };
}
