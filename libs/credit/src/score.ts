import { ceilDivide } from './integer-math';
import { CreditPolicy, SCORE_MAX } from './policy';
import { ProfileMetrics, RateObservation } from './profile-metrics';

/**
 * The score: 1 000 minus a penalty per factor. Each factor's penalty grows linearly from 0
 * (a perfect value) to its whole weight at the eligibility threshold, and stays there past it:
 * a merchant just inside every rule scores 0, one far inside them all scores near 1 000.
 * Penalties are rounded up (ceiling), so rounding never flatters a merchant. Integer
 * arithmetic only: rates are basis points, counts are counts, days are days.
 */
export interface ScorePenalties {
  readonly refundRate: number;
  readonly cancelRate: number;
  readonly lateDeliveryRate: number;
  readonly returnRate: number;
  readonly stockouts: number;
  readonly gmvTrend: number;
  readonly tenure: number;
}

export interface ScoreBreakdown {
  readonly score: number;
  readonly penalties: ScorePenalties;
}

/** ceil(weight × min(value, limit) / limit); a zero limit makes any value cost the whole weight. */
export function linearPenalty(weight: number, value: number, limit: number): number {
  if (value <= 0) return 0;
  if (limit <= 0 || value >= limit) return weight;
  return ceilDivide(weight * value, limit);
}

/** A rate costs nothing until its sample is large enough to judge (the eligibility rules use the same bar). */
const ratePenalty = (weight: number, rate: RateObservation, maxBps: number, sampleMin: number): number =>
  rate.rateBps === null || rate.denominator < BigInt(sampleMin)
    ? 0
    : linearPenalty(weight, rate.rateBps, maxBps);

export function scoreProfile(metrics: ProfileMetrics, policy: CreditPolicy): ScoreBreakdown {
  const { score: weights, eligibility } = policy;
  const sampleMin = eligibility.rateSampleMin;
  const trendRatioBps = metrics.gmvTrend?.ratioBps ?? null;
  // Growth earns nothing (a spike is not a virtue); decline costs up to the trend weight at the GMV_DECLINING floor.
  const declineBps = trendRatioBps === null ? 0 : Math.max(0, 10_000 - trendRatioBps);
  const youngDays = Math.max(0, weights.tenureMatureDays - metrics.tenureDays);
  const penalties: ScorePenalties = {
    refundRate: ratePenalty(weights.refundRate, metrics.refundRate, eligibility.refundRateMaxBps, sampleMin),
    cancelRate: ratePenalty(weights.cancelRate, metrics.cancelRate, eligibility.cancelRateMaxBps, sampleMin),
    lateDeliveryRate: ratePenalty(
      weights.lateDeliveryRate,
      metrics.lateDeliveryRate,
      eligibility.lateDeliveryRateMaxBps,
      sampleMin,
    ),
    returnRate: ratePenalty(weights.returnRate, metrics.returnRate, eligibility.returnRateMaxBps, sampleMin),
    stockouts: linearPenalty(weights.stockouts, metrics.stockoutsIn30Days, eligibility.stockoutsIn30DaysMax),
    gmvTrend: linearPenalty(weights.gmvTrend, declineBps, eligibility.gmvDeclineMaxBps),
    tenure: linearPenalty(weights.tenure, youngDays, weights.tenureMatureDays),
  };
  const penaltyTotal = Object.values(penalties).reduce((sum, penalty) => sum + penalty, 0);
  const score = SCORE_MAX - penaltyTotal;
  if (!Number.isSafeInteger(score) || score < 0 || score > SCORE_MAX)
    throw new RangeError(`score out of range: ${score}`);
  return { score, penalties };
}
