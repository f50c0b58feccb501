import type { MerchantProfile } from '@lendstream/profile';
import { eligibilityDeclines } from './eligibility-rules';
import {
  LendingPosition,
  NO_LENDING,
  overdueLoanTrigger,
  profileFreezeTriggers,
  recoveryBlockers,
} from './freeze-triggers';
import { CreditPolicy, gradeBandFor } from './policy';
import { measureProfile, ProfileMetrics } from './profile-metrics';
import { Reason, reason, REASONS_MAX } from './reason';
import { scoreProfile, ScorePenalties } from './score';
import { LineOffer, offerAtGrade, Sizing, sizeLine } from './sizing';

export interface EvaluationContext {
  /**
   * The instant the decision is made as of: the triggering event's time for an event-driven
   * decision (so a replay gives the same answer), the sweep's clock for a silence sweep.
   */
  readonly now: string;
  /** The merchant's loans; absent means it has never borrowed. */
  readonly lending?: LendingPosition;
}

/** Everything the policy concluded about one merchant at one instant, with every reason that bit. */
export interface CreditAssessment {
  readonly merchantId: string;
  readonly policyVersion: string;
  readonly profileAsOf: string;
  readonly evaluatedAt: string;
  readonly currency: string | null;
  readonly lending: LendingPosition;
  /**
   * False when the profile cannot be trusted (missing currency, windows or receivables not
   * exact, overflowed). Fail closed: no line is raised from it, an existing line holds as it
   * is, and only triggers that do not come from the profile (an overdue loan) still act.
   */
  readonly profileComplete: boolean;
  /** No decline and no freeze trigger: the merchant may have new money. */
  readonly eligible: boolean;
  /** Soft rules that bite (no new money): eligibility, score, profile, currency. */
  readonly declines: readonly Reason[];
  /** Hard triggers that fire (an active line freezes). */
  readonly freezeTriggers: readonly Reason[];
  /** What still keeps an automatically frozen line frozen (empty: the triggers are well clear). */
  readonly recoveryBlockers: readonly Reason[];
  /** Set when the merchant has been silent for the policy's close-after-silence days. */
  readonly silence: Reason | null;
  readonly metrics: ProfileMetrics;
  readonly score: number;
  readonly scorePenalties: ScorePenalties;
  /** The grade the score falls in, with its price. */
  readonly grade: string;
  readonly dailyRateBps: number;
  /** Null when the currency is missing or not one the policy lends in. */
  readonly sizing: Sizing | null;
  /** The line at the assessment's own grade; null with no sizing. Not yet fitted to the portfolio budget. */
  readonly offer: LineOffer | null;
  /** Every reason that bit, most severe first; the offer's sizing reason when eligible. */
  readonly reasons: readonly Reason[];
}

function coverageDeclines(profile: MerchantProfile, policy: CreditPolicy): Reason[] {
  const gaps: string[] = [];
  if (profile.currency === null) gaps.push('no currency yet (no money event seen)');
  if (!profile.coverage.windowsExact) gaps.push('windows are not exact for asOf');
  if (!profile.coverage.receivablesExact) gaps.push('receivables are not exact for asOf');
  if (profile.coverage.overflowed) gaps.push('a sum overflowed; the profile must be rebuilt');
  const declines =
    gaps.length > 0 ? [reason('PROFILE_INCOMPLETE', `profile cannot be trusted: ${gaps.join('; ')}`)] : [];
  if (profile.currency !== null && !policy.currencies.includes(profile.currency)) {
    declines.push(
      reason(
        'CURRENCY_NOT_SUPPORTED',
        `policy ${policy.version} does not lend in ${profile.currency} (lends in ${policy.currencies.join(', ')})`,
      ),
    );
  }
  return declines;
}

/** Pure: the same profile, policy and context always give the same assessment. */
export function evaluateCredit(
  profile: MerchantProfile,
  policy: CreditPolicy,
  context: EvaluationContext,
): CreditAssessment {
  const lending = context.lending ?? NO_LENDING;
  const { eligibility } = policy;
  const metrics = measureProfile(profile, {
    now: context.now,
    trendPriorDaysMin: eligibility.trendPriorDaysMin,
    spikeBaselineDaysMin: policy.freeze.spikeBaselineDaysMin,
  });
  const coverage = coverageDeclines(profile, policy);
  const profileComplete = !coverage.some((found) => found.code === 'PROFILE_INCOMPLETE');
  const lendingCurrency =
    profile.currency !== null && policy.currencies.includes(profile.currency) ? profile.currency : null;

  const { score, penalties } = scoreProfile(metrics, policy);
  const band = gradeBandFor(score, policy);
  const scoreDecline =
    score < eligibility.scoreMin
      ? [reason('SCORE_TOO_LOW', `score ${score} is below the minimum of ${eligibility.scoreMin}`)]
      : [];
  const declines = [
    ...coverage,
    ...eligibilityDeclines(metrics, policy, lendingCurrency ?? ''),
    ...scoreDecline,
  ];
  // An untrusted profile cannot fire a trigger (its counts may be partial); an overdue loan is not in the profile.
  const freezeTriggers = [
    ...overdueLoanTrigger(lending),
    ...(profileComplete ? profileFreezeTriggers(metrics, policy) : []),
  ];
  const silence =
    metrics.silenceDays >= policy.close.afterSilenceDays
      ? reason(
          'MERCHANT_SILENT',
          `no event for ${metrics.silenceDays} days (closes after ${policy.close.afterSilenceDays})`,
        )
      : null;
  const eligible = declines.length === 0 && freezeTriggers.length === 0;
  const sizing = lendingCurrency === null ? null : sizeLine(metrics, policy, lendingCurrency);
  const offer = sizing === null ? null : offerAtGrade(sizing, band, policy);

  const reasons = [
    ...freezeTriggers,
    ...declines,
    ...(silence === null ? [] : [silence]),
    ...(eligible && offer !== null ? [offer.limitReason] : []),
  ];
  if (reasons.length > REASONS_MAX)
    throw new RangeError(`an assessment lists ${reasons.length} reasons, more than ${REASONS_MAX}`);
  return {
    merchantId: profile.merchantId,
    policyVersion: policy.version,
    profileAsOf: profile.asOf,
    evaluatedAt: context.now,
    currency: profile.currency,
    lending,
    profileComplete,
    eligible,
    declines,
    freezeTriggers,
    recoveryBlockers: profileComplete
      ? recoveryBlockers(metrics, policy, lending)
      : overdueLoanTrigger(lending),
    silence,
    metrics,
    score,
    scorePenalties: penalties,
    grade: band.grade,
    dailyRateBps: band.dailyRateBps,
    sizing,
    offer,
    reasons,
  };
}
