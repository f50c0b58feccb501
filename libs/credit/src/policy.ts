/**
 * The credit policy as versioned data. A decision records the version it used, and a version
 * is never edited once decisions refer to it (replay recomputes them with it): a change is a
 * new version. Every threshold reads "at the threshold passes": a `…Min` bites below it, a
 * `…Max` bites above it. Money is bigint minor units per currency, rates are basis points.
 */

/** An amount per ISO 4217 currency, in that currency's minor units (fen, cents). */
export type AmountsByCurrency = Readonly<Record<string, bigint>>;

export interface EligibilityThresholds {
  /** Days from the first event seen to the profile's asOf. */
  readonly tenureDaysMin: number;
  readonly activeDaysIn30DaysMin: number;
  /** A merchant must still be trading now, not only over the month. */
  readonly activeDaysIn7DaysMin: number;
  readonly paidOrdersIn30DaysMin: number;
  /** Paid − refunded over 30 days. */
  readonly netGmvIn30DaysMinMinor: AmountsByCurrency;
  /** A rate over fewer observations than this (its denominator) is not judged: it means nothing yet. */
  readonly rateSampleMin: number;
  /** Rates over the 30-day window. */
  readonly refundRateMaxBps: number;
  readonly cancelRateMaxBps: number;
  readonly lateDeliveryRateMaxBps: number;
  readonly returnRateMaxBps: number;
  readonly stockoutsIn30DaysMax: number;
  /** How far the 30-day daily GMV may fall below the prior period's (days 31-90) before GMV_DECLINING. */
  readonly gmvDeclineMaxBps: number;
  /** Days of the prior period the merchant must have traded through for the trend to be judged. */
  readonly trendPriorDaysMin: number;
  readonly scoreMin: number;
}

/** Hard triggers: an active line freezes at once when one fires. */
export interface FreezeTriggers {
  readonly stockoutsIn7DaysMin: number;
  /** SKUs out of stock right now (latest state). */
  readonly stockKeepingUnitsOutOfStockMin: number;
  /** A refund spike needs both: enough refunds to be real, and a rate over paid orders of the week. */
  readonly refundsIn7DaysMin: number;
  readonly refundRateIn7DaysMinBps: number;
  /** The 7-day daily GMV as basis points of the baseline's (days 8-90); null disables the trigger. */
  readonly gmvSpikeMinBps: number | null;
  /** Days of baseline the merchant must have traded through for a spike to be judged. */
  readonly spikeBaselineDaysMin: number;
}

/** An automatic freeze lifts only when every trigger is well clear of its threshold (no flapping). */
export interface UnfreezeConditions {
  readonly stockoutsIn7DaysMax: number;
  readonly stockKeepingUnitsOutOfStockMax: number;
  readonly refundRateIn7DaysMaxBps: number;
  readonly gmvSpikeMaxBps: number;
  /** Days since the automatic freeze began. */
  readonly frozenDaysMin: number;
}

export interface SizingRules {
  /** Share of receivables outstanding (paid, not refunded, not yet settled) the line advances. */
  readonly receivablesAdvanceRateBps: number;
  /** Share of inventory held in the platform's warehouses, at cost, the line advances. */
  readonly inventoryAdvanceRateBps: number;
  /** The trading cap: a multiple of 30-day net GMV, in basis points (10 000 = 1×). */
  readonly netGmvIn30DaysMultipleBps: number;
  /** Limits are rounded down to whole steps (e.g. 100 yuan) so lines read cleanly and move less. */
  readonly limitStepMinor: AmountsByCurrency;
}

/** Points each factor can take off a perfect 1 000; they sum to exactly 1 000. */
export interface ScoreWeights {
  readonly refundRate: number;
  readonly cancelRate: number;
  readonly lateDeliveryRate: number;
  readonly returnRate: number;
  readonly stockouts: number;
  readonly gmvTrend: number;
  readonly tenure: number;
  /** Tenure at which the tenure penalty reaches 0. */
  readonly tenureMatureDays: number;
}

/** A score band: scores from `scoreMin` up to the next band's floor get this grade. */
export interface GradeBand {
  readonly grade: string;
  readonly scoreMin: number;
  readonly dailyRateBps: number;
  readonly capMinor: AmountsByCurrency;
}

export interface Hysteresis {
  /** A limit moves only when the change is at least the larger of these two. */
  readonly limitChangeMinBps: number;
  readonly limitChangeMinMinor: AmountsByCurrency;
  /** A line keeps its grade while the score stays within this many points of the grade's band. */
  readonly gradeScoreMargin: number;
  /** A line cut to 0 by a soft rule is raised again no sooner than this many days later (no flapping at a threshold). */
  readonly regainAfterDays: number;
  /**
   * Since v3 (absent before: those versions cut exactly to the budget's fit). A cut the budget
   * forces goes half a hysteresis band below the fit, so the next small squeezes need no cut
   * and the way back up is held as a small raise (see budgetCutLimit in line-offer.ts).
   */
  readonly dampBudgetCuts?: boolean;
  /**
   * Since v4 (absent before). A cut within the hysteresis band goes through as one the budget
   * forces only when the budget cannot keep the old limit. Before v4 the test compared the old
   * limit with the fit of the smaller offer, whose share is capped by that offer, so every small
   * downward drift passed as forced: emitted, with PORTFOLIO_BUDGET as its reason (and, with
   * dampBudgetCuts, damped) while the budget was nowhere near binding.
   */
  readonly strictBudgetCuts?: boolean;
}

export interface CreditPolicy {
  /** `v1`, `v2-challenger`: stored with every decision. */
  readonly version: string;
  readonly summary: string;
  /** Currencies the policy lends in; every money table has an entry for each, and only for these. */
  readonly currencies: readonly string[];
  readonly eligibility: EligibilityThresholds;
  readonly freeze: FreezeTriggers;
  readonly unfreeze: UnfreezeConditions;
  readonly sizing: SizingRules;
  readonly score: ScoreWeights;
  /** Best grade first; the last band starts at score 0. */
  readonly grades: readonly GradeBand[];
  readonly hysteresis: Hysteresis;
  readonly close: { readonly afterSilenceDays: number };
  /**
   * How an untrusted profile is handled beyond PROFILE_INCOMPLETE's coverage checks. Since v3;
   * absent in v1 and v2-challenger, which decided without these rules (their stored decisions
   * must replay exactly as they were made, so a rule is switched on by the version, never by code).
   */
  readonly failClosed?: FailClosedRules;
}

export interface FailClosedRules {
  /**
   * A profile whose history begins after the merchant's line last saw it (`firstSeenAt` later
   * than the line's `profileAsOf`) has lost events: Redis lost the profile and the profiler
   * started again mid-stream. It is untrusted (PROFILE_INCOMPLETE): the line holds as it is
   * (no raise, no cut, no close) until the profile is rebuilt from the topics. Only stock-out
   * triggers, whose counts can only grow as the lost events come back, may still freeze it.
   * Also: an untrusted profile never closes a line as silent.
   */
  readonly holdOnPartialHistory: boolean;
}

/** Scores run 0..1 000. */
export const SCORE_MAX = 1_000;
/** Fits a Postgres bigint column (and the contract's amounts). */
export const POLICY_AMOUNT_MINOR_MAX = 2n ** 63n - 1n;

/** The grade band a score falls in. */
export function gradeBandFor(score: number, policy: CreditPolicy): GradeBand {
  const band = policy.grades.find((candidate) => score >= candidate.scoreMin);
  if (band === undefined) throw new RangeError(`score ${score} has no grade in policy ${policy.version}`);
  return band;
}

/** The band's scores: [scoreMin, the better band's scoreMin − 1], or up to 1 000 for the best. */
export function gradeScoreRange(
  grade: string,
  policy: CreditPolicy,
): { readonly scoreMin: number; readonly scoreMax: number } | null {
  const index = policy.grades.findIndex((band) => band.grade === grade);
  if (index < 0) return null;
  const scoreMax = index === 0 ? SCORE_MAX : policy.grades[index - 1]!.scoreMin - 1;
  return { scoreMin: policy.grades[index]!.scoreMin, scoreMax };
}
