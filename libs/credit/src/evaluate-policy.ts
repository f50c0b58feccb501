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
import { Reason, reason, ReasonCode, REASONS_MAX } from './reason';
import { instantMs } from './event-time';
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
  /**
   * The `profileAsOf` of the merchant's line (open or closed) before this decision: the
   * merchant already traded then. Read only by policies with `failClosed.holdOnPartialHistory`.
   */
  readonly lineProfileAsOf?: string | null;
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

/**
 * A profile whose history starts after the line last saw the merchant has lost events (Redis lost
 * it and the profiler started again mid-stream): its tenure, windows and receivable are short.
 * Every profile ever read for the merchant starts at or before the line's `profileAsOf` (the
 * line was granted on at least a tenure's history before it, and decisions never go back in
 * time), so a later start is certain evidence of loss, never a judgement call.
 */
function partialHistoryGap(
  profile: MerchantProfile,
  policy: CreditPolicy,
  lineProfileAsOf: string | null | undefined,
): string | null {
  if (!policy.failClosed?.holdOnPartialHistory || lineProfileAsOf == null) return null;
  const firstSeenMs = instantMs('profile.firstSeenAt', profile.firstSeenAt);
  if (firstSeenMs <= instantMs('line.profileAsOf', lineProfileAsOf)) return null;
  return `history starts ${profile.firstSeenAt}, after the line last saw the merchant (${lineProfileAsOf}): events are missing until the profile is rebuilt from the topics`;
}

/** What the profile itself says it lacks (its coverage, its currency): each a reason it cannot be trusted. */
function profileGaps(profile: MerchantProfile): string[] {
  const gaps: string[] = [];
  if (profile.currency === null) gaps.push('no currency yet (no money event seen)');
  if (!profile.coverage.windowsExact) gaps.push('windows are not exact for asOf');
  if (!profile.coverage.receivablesExact) gaps.push('receivables are not exact for asOf');
  if (profile.coverage.overflowed) gaps.push('a sum overflowed; the profile must be rebuilt');
  return gaps;
}

/** What keeps the profile from being trusted: PROFILE_INCOMPLETE (one reason, every gap), and CURRENCY_NOT_SUPPORTED. */
function coverageDeclines(profile: MerchantProfile, policy: CreditPolicy, gaps: readonly string[]): Reason[] {
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

/** The hard triggers that count events (stock-outs in 7 days, SKUs out of stock now) rather than compare rates. */
const TRIGGERS_FROM_COUNTS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['STOCKOUT_RATE_HIGH']);

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
  const historyGap = partialHistoryGap(profile, policy, context.lineProfileAsOf);
  const ownGaps = profileGaps(profile);
  const coverage = coverageDeclines(
    profile,
    policy,
    historyGap === null ? ownGaps : [historyGap, ...ownGaps],
  );
  const profileComplete = historyGap === null && ownGaps.length === 0;
  // A profile that is only short of history (its coverage otherwise exact) still holds every
  // event since it started: its counts are lower bounds of the true ones.
  const onlyShortOfHistory = historyGap !== null && ownGaps.length === 0;
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
  // An untrusted profile cannot fire a trigger (its counts may be partial); an overdue loan is not
  // in the profile. A profile only short of history still fires the count triggers: the stock-outs
  // it saw did happen, and the lost events can only add to them. Not the refund and GMV spikes:
  // each is judged against a baseline (the week's paid orders, days 8-90) the lost events belong to.
  const freezeTriggers = [
    ...overdueLoanTrigger(lending),
    ...(profileComplete
      ? profileFreezeTriggers(metrics, policy)
      : onlyShortOfHistory
        ? profileFreezeTriggers(metrics, policy).filter((found) => TRIGGERS_FROM_COUNTS.has(found.code))
        : []),
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
