import { CreditAssessment } from './evaluate-policy';
import { CreditLineState } from './credit-line-state';
import { BudgetFit, BudgetStanding, fitToBudget } from './fit-to-budget';
import { applyBasisPointsFloor, floorToStep, formatMinor, maxOf, minOf } from './integer-math';
import { CreditPolicy, GradeBand, gradeBandFor, gradeScoreRange } from './policy';
import { POLICY_REGISTRY } from './policy-registry';
import { Reason, reason } from './reason';
import { LineOffer, offerAtGrade } from './sizing';

/**
 * What a decision offers an eligible line: the grade it prices at (with grade hysteresis),
 * the policy's limit at that grade fitted to the portfolio budget, and whether a change of
 * limit is big enough to tell anyone about (limit hysteresis).
 */
export interface FittedOffer {
  /** The policy's offer, before the budget: the line's claim in the budget ranking. */
  readonly offer: LineOffer;
  /** After the budget, in whole limit steps. */
  readonly limitMinor: bigint;
  readonly fit: BudgetFit | null;
  /** The sizing reason, and PORTFOLIO_BUDGET when the budget squeezed the offer. */
  readonly reasons: readonly Reason[];
}

/** The policy's offer at `band`, fitted to the portfolio budget, in whole limit steps. */
export function fitOfferToBudget(
  band: GradeBand,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  budget: BudgetStanding | null | undefined,
): FittedOffer {
  const sizing = assessment.sizing;
  if (sizing === null) throw new RangeError('an eligible assessment has no sizing');
  const offer = offerAtGrade(sizing, band, policy);
  if (!budget) return { offer, limitMinor: offer.limitMinor, fit: null, reasons: [offer.limitReason] };
  const fit = fitToBudget(
    {
      merchantId: assessment.merchantId,
      requestedLimitMinor: offer.limitMinor,
      committedMinor: assessment.lending.outstandingMinor + assessment.lending.reservedMinor,
      score: assessment.score,
    },
    budget,
  );
  // Rounded down to whole steps like every limit: the budget is never exceeded by rounding.
  const limitMinor = floorToStep(fit.limitMinor, policy.sizing.limitStepMinor[sizing.currency]!);
  const squeezed = limitMinor < offer.limitMinor;
  const budgetReason = reason(
    'PORTFOLIO_BUDGET',
    `portfolio budget binds: limit ${formatMinor(limitMinor, sizing.currency)} of the ${formatMinor(offer.limitMinor, sizing.currency)} the policy offers; headroom goes to better-scored merchants first`,
  );
  return {
    offer,
    limitMinor,
    fit,
    reasons: squeezed ? [offer.limitReason, budgetReason] : [offer.limitReason],
  };
}

/**
 * Whether a grade given under `version` means the same band in `policy`: the same version, or
 * a registered one with the same grade names and floors (v1 and v3), so that switching the live
 * version does not reprice every line near a band's edge at its next decision.
 */
function sameGradeBands(version: string, policy: CreditPolicy): boolean {
  if (version === policy.version) return true;
  if (!POLICY_REGISTRY.versions.includes(version)) return false;
  const bands = (grades: CreditPolicy['grades']) =>
    grades.map((band) => `${band.grade}@${band.scoreMin}`).join(',');
  return bands(POLICY_REGISTRY.byVersion(version).grades) === bands(policy.grades);
}

/**
 * Grade hysteresis: an active line keeps its grade while the score stays within
 * `gradeScoreMargin` points of that grade's band, so a score hovering at a band's edge does
 * not reprice the line on every event.
 */
export function gradeBandForActiveLine(
  line: CreditLineState,
  assessment: CreditAssessment,
  policy: CreditPolicy,
): GradeBand {
  const fresh = gradeBandFor(assessment.score, policy);
  const range = sameGradeBands(line.policyVersion, policy) ? gradeScoreRange(line.grade, policy) : null;
  if (range === null) return fresh;
  const margin = policy.hysteresis.gradeScoreMargin;
  const withinMargin =
    assessment.score >= range.scoreMin - margin && assessment.score <= range.scoreMax + margin;
  return withinMargin ? policy.grades.find((band) => band.grade === line.grade)! : fresh;
}

/** The smallest move of a limit that counts: the larger of limitChangeMinBps of it and limitChangeMinMinor. */
export const hysteresisThresholdMinor = (
  currentMinor: bigint,
  policy: CreditPolicy,
  currency: string,
): bigint =>
  maxOf(
    applyBasisPointsFloor(currentMinor, policy.hysteresis.limitChangeMinBps),
    policy.hysteresis.limitChangeMinMinor[currency] ?? 0n,
  );

/** Limit hysteresis: a move counts when it is at least the larger of limitChangeMinBps of the current limit and limitChangeMinMinor. */
export function isMaterialLimitMove(
  currentMinor: bigint,
  nextMinor: bigint,
  policy: CreditPolicy,
  currency: string,
): boolean {
  const moveMinor = nextMinor > currentMinor ? nextMinor - currentMinor : currentMinor - nextMinor;
  return moveMinor > 0n && moveMinor >= hysteresisThresholdMinor(currentMinor, policy, currency);
}

/**
 * Budget damping (`hysteresis.dampBudgetCuts`, v3 on): the limit a cut the budget forces goes
 * to. Without it the line goes exactly to its budget fit, so each later squeeze, however small
 * (a better merchant's request grew by one step), forces another cut and another event: the
 * hysteresis band never applies to budget moves. With it the line goes half a hysteresis band
 * (of the fit) below the fit, in whole steps: the next squeezes smaller than that slack need no
 * cut, and the way back up to the fit is not a material move, so it is held too. The line moves
 * again only once its share has fallen under it, or risen about half a band above it.
 *
 * Never above the fit (the budget's guarantees hold as before: the sum of limits only gets
 * smaller), never below what the merchant owes (rounded up to a step) unless the fit is, and
 * never to 0 from a fit above 0 (a line at 0 is raised by any move). Where the slack cannot be
 * kept so (a fit under the slack, or a step coarser than the band allows), the fit itself.
 */
export function budgetCutLimit(
  fitLimitMinor: bigint,
  committedMinor: bigint,
  policy: CreditPolicy,
  currency: string,
): bigint {
  if (!policy.hysteresis.dampBudgetCuts) return fitLimitMinor;
  const stepMinor = policy.sizing.limitStepMinor[currency] ?? 1n;
  const slackMinor = hysteresisThresholdMinor(fitLimitMinor, policy, currency) / 2n;
  if (slackMinor >= fitLimitMinor) return fitLimitMinor;
  const owedMinor = ((committedMinor + stepMinor - 1n) / stepMinor) * stepMinor;
  const dampedMinor = maxOf(
    floorToStep(fitLimitMinor - slackMinor, stepMinor),
    minOf(fitLimitMinor, owedMinor),
  );
  if (dampedMinor === 0n || isMaterialLimitMove(dampedMinor, fitLimitMinor, policy, currency))
    return fitLimitMinor;
  return dampedMinor;
}

/** The fitted offer with its limit damped to `limitMinor` (below the fit), and a reason that says so. */
export function dampedBudgetOffer(fitted: FittedOffer, limitMinor: bigint, currency: string): FittedOffer {
  return {
    ...fitted,
    limitMinor,
    reasons: [
      fitted.offer.limitReason,
      reason(
        'PORTFOLIO_BUDGET',
        `portfolio budget binds: limit ${formatMinor(limitMinor, currency)} of the ${formatMinor(fitted.offer.limitMinor, currency)} the policy offers, half a hysteresis band under its budget fit of ${formatMinor(fitted.limitMinor, currency)} so that small squeezes need no further cut; headroom goes to better-scored merchants first`,
      ),
    ],
  };
}
