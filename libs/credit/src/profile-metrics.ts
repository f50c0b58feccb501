import type { MerchantProfile, Ratio, WindowTotals } from '@lendstream/profile';
import { DAY_MS, dayOf, instantMs } from './event-time';
import {
  basisPointsFloor,
  fractionExceedsBasisPoints,
  fractionReachesBasisPoints,
  maxOf,
} from './integer-math';

/**
 * The numbers the policy judges, derived from one profile. Pure and exact: counts stay
 * counts, rates keep their fraction (the basis points shown are floored, for people), and
 * GMV comparisons are per day of the period the merchant actually traded through.
 */
/** A rate as observed: the exact fraction and its floored basis points (null with no denominator). */
export interface RateObservation {
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly rateBps: number | null;
}

/**
 * Recent GMV against a baseline, each per day: `ratioBps` is the recent daily average in basis
 * points of the baseline's (10 000 = flat, 5 000 = halved), floored; null when the baseline is 0.
 */
export interface GmvComparison {
  readonly recentMinor: bigint;
  readonly recentDays: number;
  readonly baselineMinor: bigint;
  readonly baselineDays: number;
  readonly ratioBps: number | null;
}

export interface ProfileMetrics {
  /** Whole days from the first event seen to asOf. */
  readonly tenureDays: number;
  /** Whole days from the newest event applied to the decision's `now` (0 if `now` is earlier). */
  readonly silenceDays: number;
  readonly activeDaysIn30Days: number;
  readonly activeDaysIn7Days: number;
  readonly paidOrdersIn30Days: number;
  /** Paid − refunded over 30 days, at least 0. */
  readonly netGmvIn30DaysMinor: bigint;
  readonly refundRate: RateObservation;
  readonly cancelRate: RateObservation;
  readonly lateDeliveryRate: RateObservation;
  readonly returnRate: RateObservation;
  readonly stockoutsIn30Days: number;
  readonly stockoutsIn7Days: number;
  readonly stockKeepingUnitsOutOfStock: number;
  readonly refundsIn7Days: number;
  readonly refundRateIn7Days: RateObservation;
  /** Days 1-30 against days 31-90; null when fewer than `priorDaysMin` days of the prior period were traded through. */
  readonly gmvTrend: GmvComparison | null;
  /** Days 1-7 against days 8-90; null when fewer than `baselineDaysMin` days of the baseline were traded through. */
  readonly gmvSpike: GmvComparison | null;
  /** Clamped at 0: a negative receivable (settlements of orders paid before the profile began) backs nothing. */
  readonly receivablesOutstandingMinor: bigint;
  readonly inventoryValueMinor: bigint;
}

export interface MetricOptions {
  readonly now: string;
  readonly trendPriorDaysMin: number;
  readonly spikeBaselineDaysMin: number;
}

const observed = (ratio: Pick<Ratio, 'numerator' | 'denominator'>): RateObservation => ({
  numerator: ratio.numerator,
  denominator: ratio.denominator,
  rateBps: basisPointsFloor(ratio.numerator, ratio.denominator),
});

/** Days of [fromDay, throughDay] on or after the merchant's first day. */
const tradedDaysWithin = (fromDay: number, throughDay: number, firstDay: number): number =>
  Math.max(0, throughDay - Math.max(fromDay, firstDay) + 1);

function compareGmv(
  recentMinor: bigint,
  recentDays: number,
  baselineMinor: bigint,
  baselineDays: number,
): GmvComparison {
  const ratioBps =
    baselineMinor === 0n
      ? null
      : basisPointsFloor(recentMinor * BigInt(baselineDays), baselineMinor * BigInt(recentDays));
  return { recentMinor, recentDays, baselineMinor, baselineDays, ratioBps };
}

/** recent per day < baseline per day × bps / 10 000, exactly. A zero baseline is never undercut. */
export const gmvBelowBasisPoints = (comparison: GmvComparison, bps: number): boolean =>
  comparison.baselineMinor > 0n &&
  !fractionReachesBasisPoints(
    comparison.recentMinor * BigInt(comparison.baselineDays),
    comparison.baselineMinor * BigInt(comparison.recentDays),
    bps,
  );

/** recent per day >= baseline per day × bps / 10 000, exactly. Any sales over a zero baseline reach every ratio. */
export const gmvReachesBasisPoints = (comparison: GmvComparison, bps: number): boolean =>
  comparison.baselineMinor === 0n
    ? comparison.recentMinor > 0n
    : fractionReachesBasisPoints(
        comparison.recentMinor * BigInt(comparison.baselineDays),
        comparison.baselineMinor * BigInt(comparison.recentDays),
        bps,
      );

/** recent per day > baseline per day × bps / 10 000, exactly. Any sales over a zero baseline exceed every ratio. */
export const gmvExceedsBasisPoints = (comparison: GmvComparison, bps: number): boolean =>
  comparison.baselineMinor === 0n
    ? comparison.recentMinor > 0n
    : fractionExceedsBasisPoints(
        comparison.recentMinor * BigInt(comparison.baselineDays),
        comparison.baselineMinor * BigInt(comparison.recentDays),
        bps,
      );

/** numerator / denominator > limitBps, exactly; a rate with no denominator exceeds nothing. */
export const rateExceeds = (rate: RateObservation, limitBps: number): boolean =>
  fractionExceedsBasisPoints(rate.numerator, rate.denominator, limitBps);

function assertNested(windows: MerchantProfile['windows']): void {
  const nested = (longer: WindowTotals, shorter: WindowTotals) =>
    longer.paidAmountMinor >= shorter.paidAmountMinor &&
    longer.refunds >= shorter.refunds &&
    longer.stockouts >= shorter.stockouts;
  if (
    !nested(windows[90], windows[30]) ||
    !nested(windows[30], windows[7]) ||
    !nested(windows[7], windows[1])
  ) {
    throw new RangeError('profile windows are not nested (a longer window holds less than a shorter one)');
  }
}

export function measureProfile(profile: MerchantProfile, options: MetricOptions): ProfileMetrics {
  const { windows } = profile;
  assertNested(windows);
  const asOfMs = instantMs('profile.asOf', profile.asOf);
  const asOfDay = dayOf(asOfMs);
  const firstSeenMs = instantMs('profile.firstSeenAt', profile.firstSeenAt);
  const firstDay = dayOf(firstSeenMs);
  const silenceMs = instantMs('now', options.now) - instantMs('profile.newestEventAt', profile.newestEventAt);
  const month = windows[30];
  const week = windows[7];

  const priorDays = tradedDaysWithin(asOfDay - 89, asOfDay - 30, firstDay);
  const baselineDays = tradedDaysWithin(asOfDay - 89, asOfDay - 7, firstDay);
  return {
    tenureDays: Math.max(0, Math.floor((asOfMs - firstSeenMs) / DAY_MS)),
    silenceDays: Math.max(0, Math.floor(silenceMs / DAY_MS)),
    activeDaysIn30Days: month.activeDays,
    activeDaysIn7Days: week.activeDays,
    paidOrdersIn30Days: month.paidOrders,
    netGmvIn30DaysMinor: maxOf(0n, month.paidAmountMinor - month.refundedAmountMinor),
    refundRate: observed(month.rates.refundRate),
    cancelRate: observed(month.rates.cancelRate),
    // Counted directly rather than as 1 − on-time, whose floored basis points would round the wrong way.
    lateDeliveryRate: observed({
      numerator: BigInt(month.shipmentsDeliveredLate),
      denominator: BigInt(month.shipmentsDelivered),
    }),
    returnRate: observed(month.rates.returnRate),
    stockoutsIn30Days: month.stockouts,
    stockoutsIn7Days: week.stockouts,
    stockKeepingUnitsOutOfStock: profile.stockKeepingUnitsOutOfStock,
    refundsIn7Days: week.refunds,
    refundRateIn7Days: observed(week.rates.refundRate),
    gmvTrend:
      priorDays < options.trendPriorDaysMin
        ? null
        : compareGmv(
            month.paidAmountMinor,
            30,
            windows[90].paidAmountMinor - month.paidAmountMinor,
            priorDays,
          ),
    gmvSpike:
      baselineDays < options.spikeBaselineDaysMin
        ? null
        : compareGmv(
            week.paidAmountMinor,
            7,
            windows[90].paidAmountMinor - week.paidAmountMinor,
            baselineDays,
          ),
    receivablesOutstandingMinor: maxOf(0n, profile.receivablesOutstandingMinor),
    inventoryValueMinor: maxOf(0n, profile.inventory.valueMinor),
  };
}
