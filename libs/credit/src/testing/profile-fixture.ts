import type { MerchantProfile, ProfileCoverage, Ratio, WindowTotals } from '@lendstream/profile';

/**
 * A MerchantProfile for tests, built from counts instead of from events and Redis: a
 * healthy, steady CNY merchant by default, with any window or field overridden. The 7- and
 * 90-day windows follow the 30-day one pro rata (a flat trend), and the 1-day window follows
 * the 7-day one, unless overridden themselves.
 * Test support only: not exported from the library's index.
 */
export interface WindowCounts {
  readonly paidAmountMinor: bigint;
  readonly paidOrders: number;
  readonly refundedAmountMinor: bigint;
  readonly refunds: number;
  readonly cancellations: number;
  readonly settledAmountMinor: bigint;
  readonly stockouts: number;
  readonly shipmentsDispatched: number;
  readonly shipmentsDelivered: number;
  readonly shipmentsDeliveredLate: number;
  readonly shipmentsReturned: number;
  readonly activeDays: number;
}

export interface ProfileFixtureOverrides {
  readonly merchantId?: string;
  readonly asOf?: string;
  readonly currency?: string | null;
  /** Whole days from the first event to asOf. */
  readonly tenureDays?: number;
  /** Whole days from the newest event to asOf. */
  readonly quietDays?: number;
  readonly day?: Partial<WindowCounts>;
  readonly week?: Partial<WindowCounts>;
  readonly month?: Partial<WindowCounts>;
  readonly quarter?: Partial<WindowCounts>;
  readonly receivablesOutstandingMinor?: bigint;
  readonly inventoryValueMinor?: bigint;
  readonly stockKeepingUnitsOutOfStock?: number;
  readonly coverage?: Partial<ProfileCoverage>;
}

export const FIXTURE_AS_OF = '2026-11-30T12:00:00.000Z';
const DAY_MS = 86_400_000;

/** 240 orders a month at 150 yuan: 3.3 % refunds, 4 % cancellations, 4.3 % late, 1.7 % returns, no stock-outs. */
export const HEALTHY_MONTH: WindowCounts = {
  paidAmountMinor: 3_600_000n,
  paidOrders: 240,
  refundedAmountMinor: 120_000n,
  refunds: 8,
  cancellations: 10,
  settledAmountMinor: 3_000_000n,
  stockouts: 0,
  shipmentsDispatched: 240,
  shipmentsDelivered: 230,
  shipmentsDeliveredLate: 10,
  shipmentsReturned: 4,
  activeDays: 30,
};

const ratio = (numerator: number | bigint, denominator: number | bigint): Ratio => {
  const [top, bottom] = [BigInt(numerator), BigInt(denominator)];
  return {
    numerator: top,
    denominator: bottom,
    basisPoints: bottom === 0n ? null : Number((top * 10_000n) / bottom),
  };
};

/** A window's counts scaled by windowDays/sourceDays, rounded down; active days capped by the window. */
function proRata(source: WindowCounts, sourceDays: number, windowDays: number): WindowCounts {
  const scale = (value: number) => Math.floor((value * windowDays) / sourceDays);
  const scaleMinor = (value: bigint) => (value * BigInt(windowDays)) / BigInt(sourceDays);
  return {
    paidAmountMinor: scaleMinor(source.paidAmountMinor),
    paidOrders: scale(source.paidOrders),
    refundedAmountMinor: scaleMinor(source.refundedAmountMinor),
    refunds: scale(source.refunds),
    cancellations: scale(source.cancellations),
    settledAmountMinor: scaleMinor(source.settledAmountMinor),
    stockouts: scale(source.stockouts),
    shipmentsDispatched: scale(source.shipmentsDispatched),
    shipmentsDelivered: scale(source.shipmentsDelivered),
    shipmentsDeliveredLate: scale(source.shipmentsDeliveredLate),
    shipmentsReturned: scale(source.shipmentsReturned),
    activeDays: Math.min(windowDays, scale(source.activeDays)),
  };
}

function windowTotals(windowDays: 1 | 7 | 30 | 90, asOfMs: number, counts: WindowCounts): WindowTotals {
  const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    windowDays,
    fromDay: isoDay(asOfMs - (windowDays - 1) * DAY_MS),
    throughDay: isoDay(asOfMs),
    ...counts,
    shipmentsDeliveredOnTime: counts.shipmentsDelivered - counts.shipmentsDeliveredLate,
    rates: {
      refundRate: ratio(counts.refunds, counts.paidOrders),
      refundAmountRate: ratio(counts.refundedAmountMinor, counts.paidAmountMinor),
      cancelRate: ratio(counts.cancellations, counts.paidOrders + counts.cancellations),
      onTimeDeliveryRate: ratio(
        counts.shipmentsDelivered - counts.shipmentsDeliveredLate,
        counts.shipmentsDelivered,
      ),
      returnRate: ratio(counts.shipmentsReturned, counts.shipmentsDelivered),
    },
  };
}

export function profileFixture(overrides: ProfileFixtureOverrides = {}): MerchantProfile {
  const asOf = overrides.asOf ?? FIXTURE_AS_OF;
  const asOfMs = Date.parse(asOf);
  const month: WindowCounts = { ...HEALTHY_MONTH, ...overrides.month };
  const quarter: WindowCounts = {
    ...proRata(month, 30, 90),
    activeDays: Math.min(90, month.activeDays * 3),
    ...overrides.quarter,
  };
  const week: WindowCounts = { ...proRata(month, 30, 7), ...overrides.week };
  const day: WindowCounts = {
    ...proRata(week, 7, 1),
    activeDays: week.activeDays > 0 ? 1 : 0,
    ...overrides.day,
  };
  return {
    merchantId: overrides.merchantId ?? 'm-000042',
    asOf,
    currency: overrides.currency === undefined ? 'CNY' : overrides.currency,
    firstSeenAt: new Date(asOfMs - (overrides.tenureDays ?? 400) * DAY_MS).toISOString(),
    newestEventAt: new Date(asOfMs - (overrides.quietDays ?? 0) * DAY_MS).toISOString(),
    windows: {
      1: windowTotals(1, asOfMs, day),
      7: windowTotals(7, asOfMs, week),
      30: windowTotals(30, asOfMs, month),
      90: windowTotals(90, asOfMs, quarter),
    },
    receivablesOutstandingMinor: overrides.receivablesOutstandingMinor ?? 2_000_000n,
    inventory: {
      valueMinor: overrides.inventoryValueMinor ?? 3_000_000n,
      onHandUnits: 1_200n,
      warehouses: 1,
    },
    stockKeepingUnitsOutOfStock: overrides.stockKeepingUnitsOutOfStock ?? 0,
    coverage: {
      windowsExact: true,
      receivablesExact: true,
      overflowed: false,
      appliedPositions: {
        orders: { partition: 0, fromOffset: 0, throughOffset: 1_000 },
        warehouse: { partition: 0, fromOffset: 0, throughOffset: 100 },
        logistics: { partition: 0, fromOffset: 0, throughOffset: 900 },
      },
      ...overrides.coverage,
    },
  };
}
