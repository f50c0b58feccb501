import { formatBasisPoints, formatMinor } from './integer-math';
import { CreditPolicy } from './policy';
import { ProfileMetrics, RateObservation, gmvBelowBasisPoints, rateExceeds } from './profile-metrics';
import { Reason, ReasonCode, reason } from './reason';

/**
 * The soft rules: each says why a merchant should get no new money right now. A merchant
 * failing one gets no line, or its line cut to 0; nothing is frozen. Every rule passes at its
 * threshold and bites just past it.
 */
const describeRate = (rate: RateObservation): string =>
  `${formatBasisPoints(rate.rateBps ?? 0)} (${rate.numerator}/${rate.denominator})`;

type Rule = (metrics: ProfileMetrics, policy: CreditPolicy, currency: string) => Reason | null;

const minimumRule =
  (
    code: ReasonCode,
    read: (metrics: ProfileMetrics) => number,
    limit: (policy: CreditPolicy) => number,
    what: string,
  ): Rule =>
  (metrics, policy) => {
    const [value, min] = [read(metrics), limit(policy)];
    return value < min ? reason(code, `${what} is ${value}, below the minimum of ${min}`) : null;
  };

/** A 30-day rate above its maximum, judged only once its denominator reaches `rateSampleMin`. */
const rateRule =
  (
    code: ReasonCode,
    read: (metrics: ProfileMetrics) => RateObservation,
    limit: (policy: CreditPolicy) => number,
    what: string,
  ): Rule =>
  (metrics, policy) => {
    const rate = read(metrics);
    if (rate.denominator < BigInt(policy.eligibility.rateSampleMin)) return null;
    const maxBps = limit(policy);
    return rateExceeds(rate, maxBps)
      ? reason(
          code,
          `${what} over 30 days is ${describeRate(rate)}, above the maximum of ${formatBasisPoints(maxBps)}`,
        )
      : null;
  };

const ELIGIBILITY_RULES: readonly Rule[] = [
  minimumRule(
    'TENURE_TOO_SHORT',
    (m) => m.tenureDays,
    (p) => p.eligibility.tenureDaysMin,
    'tenure in days',
  ),
  minimumRule(
    'LOW_ACTIVITY',
    (m) => m.activeDaysIn30Days,
    (p) => p.eligibility.activeDaysIn30DaysMin,
    'active days in the last 30',
  ),
  minimumRule(
    'LOW_ACTIVITY',
    (m) => m.activeDaysIn7Days,
    (p) => p.eligibility.activeDaysIn7DaysMin,
    'active days in the last 7',
  ),
  minimumRule(
    'LOW_ACTIVITY',
    (m) => m.paidOrdersIn30Days,
    (p) => p.eligibility.paidOrdersIn30DaysMin,
    'paid orders in the last 30 days',
  ),
  (metrics, policy, currency) => {
    const min = policy.eligibility.netGmvIn30DaysMinMinor[currency];
    if (min === undefined || metrics.netGmvIn30DaysMinor >= min) return null;
    return reason(
      'GMV_TOO_LOW',
      `net GMV over 30 days is ${formatMinor(metrics.netGmvIn30DaysMinor, currency)}, below the minimum of ${formatMinor(min, currency)}`,
    );
  },
  rateRule(
    'REFUND_RATE_HIGH',
    (m) => m.refundRate,
    (p) => p.eligibility.refundRateMaxBps,
    'refunds per paid order',
  ),
  rateRule(
    'CANCEL_RATE_HIGH',
    (m) => m.cancelRate,
    (p) => p.eligibility.cancelRateMaxBps,
    'cancellations per order',
  ),
  rateRule(
    'LATE_DELIVERY_RATE_HIGH',
    (m) => m.lateDeliveryRate,
    (p) => p.eligibility.lateDeliveryRateMaxBps,
    'late deliveries per delivery',
  ),
  rateRule(
    'RETURN_RATE_HIGH',
    (m) => m.returnRate,
    (p) => p.eligibility.returnRateMaxBps,
    'returns per delivery',
  ),
  (metrics, policy) => {
    const max = policy.eligibility.stockoutsIn30DaysMax;
    return metrics.stockoutsIn30Days > max
      ? reason(
          'STOCKOUT_RATE_HIGH',
          `${metrics.stockoutsIn30Days} stock-outs in 30 days, above the maximum of ${max} (platforms delist shops that keep running out)`,
        )
      : null;
  },
  (metrics, policy) => {
    const trend = metrics.gmvTrend;
    const floorBps = 10_000 - policy.eligibility.gmvDeclineMaxBps;
    if (trend === null || !gmvBelowBasisPoints(trend, floorBps)) return null;
    return reason(
      'GMV_DECLINING',
      `daily GMV over the last 30 days is ${formatBasisPoints(trend.ratioBps ?? 0)} of the ${trend.baselineDays} days before, below the floor of ${formatBasisPoints(floorBps)}`,
    );
  },
];

/** Every eligibility rule that bites, in the policy's order. */
export const eligibilityDeclines = (
  metrics: ProfileMetrics,
  policy: CreditPolicy,
  currency: string,
): Reason[] =>
  ELIGIBILITY_RULES.map((rule) => rule(metrics, policy, currency)).filter(
    (found): found is Reason => found !== null,
  );
