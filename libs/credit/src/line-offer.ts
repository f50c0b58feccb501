import { CreditAssessment } from './evaluate-policy';
import { CreditLineState } from './credit-line-state';
import { BudgetFit, BudgetStanding, fitToBudget } from './fit-to-budget';
import { applyBasisPointsFloor, floorToStep, formatMinor, maxOf } from './integer-math';
import { CreditPolicy, GradeBand, gradeBandFor, gradeScoreRange } from './policy';
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
  const range = line.policyVersion === policy.version ? gradeScoreRange(line.grade, policy) : null;
  if (range === null) return fresh;
  const margin = policy.hysteresis.gradeScoreMargin;
  const withinMargin =
    assessment.score >= range.scoreMin - margin && assessment.score <= range.scoreMax + margin;
  return withinMargin ? policy.grades.find((band) => band.grade === line.grade)! : fresh;
}

/** Limit hysteresis: a move counts when it is at least the larger of limitChangeMinBps of the current limit and limitChangeMinMinor. */
export function isMaterialLimitMove(
  currentMinor: bigint,
  nextMinor: bigint,
  policy: CreditPolicy,
  currency: string,
): boolean {
  const moveMinor = nextMinor > currentMinor ? nextMinor - currentMinor : currentMinor - nextMinor;
  const floorMinor = policy.hysteresis.limitChangeMinMinor[currency] ?? 0n;
  const thresholdMinor = maxOf(
    applyBasisPointsFloor(currentMinor, policy.hysteresis.limitChangeMinBps),
    floorMinor,
  );
  return moveMinor > 0n && moveMinor >= thresholdMinor;
}
