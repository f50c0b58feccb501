import { CreditAssessment } from './evaluate-policy';
import {
  assertCreditLineState,
  availableOf,
  committedOf,
  CreditLineEventType,
  CreditLineState,
  CreditLineStatus,
} from './credit-line-state';
import { BudgetFit, BudgetStanding, fitToBudget } from './fit-to-budget';
import { floorToStep, formatMinor, minOf } from './integer-math';
import {
  budgetCutLimit,
  dampedBudgetOffer,
  fitOfferToBudget,
  gradeBandForActiveLine,
  isMaterialLimitMove,
} from './line-offer';
import { CreditPolicy, gradeBandFor } from './policy';
import { wholeDaysBetween } from './event-time';
import { Reason, reason, REASONS_MAX } from './reason';

/**
 * The credit line's state machine, emmett-style: pure, time and lookups passed in, one
 * decision in, at most one `scf.credit-lines.v1` event out.
 *
 * | line            | assessment                                   | event     |
 * | --------------- | -------------------------------------------- | --------- |
 * | none or CLOSED  | eligible, offer > 0                          | granted (new creditLineId; limit may be 0 under the budget, with PORTFOLIO_BUDGET) |
 * | none or CLOSED  | anything else                                | none      |
 * | ACTIVE / FROZEN | silent for close.afterSilenceDays (v3 on: and the profile trusted) | closed |
 * | ACTIVE          | a hard trigger fires                         | frozen: limit kept, available 0 |
 * | ACTIVE          | profile incomplete (v3 on: or its history starts after the line's profileAsOf) | none (fail closed: hold, never raise) |
 * | ACTIVE          | a soft rule bites                            | adjusted to limit 0 (none if already 0) |
 * | ACTIVE, cut to 0 by a soft rule under hysteresis.regainAfterDays ago | eligible again | none yet |
 * | ACTIVE          | eligible, move ≥ hysteresis, grade or price changes, budget forces a cut, or the limit leaves/reaches 0 | adjusted |
 * | ACTIVE          | eligible, anything smaller                   | none      |
 * | FROZEN, manual  | anything                                     | none: only operations lift a manual freeze |
 * | FROZEN, automatic | recovered: eligible, blockers clear, frozen ≥ unfreeze.frozenDaysMin | unfrozen at a fresh offer |
 * | FROZEN, automatic | not recovered                              | none      |
 * | FROZEN, or ACTIVE held on an untrusted profile | the budget no longer fits its limit | adjusted: trimmed to its budget fit (PORTFOLIO_BUDGET) |
 *
 * Why a soft decline cuts an active line to 0 instead of freezing it: a freeze means "something
 * alarming happened, look now" and lifts only on strict recovery; a soft decline is the
 * ordinary judgement that the merchant does not earn new money this month, and the line
 * comes back by itself (adjusted up) once it does. Either way available is 0: loans already
 * drawn run on and are repaid from settlements.
 */
export interface LineDecisionContext {
  readonly decisionId: string;
  /** The decision's instant: the same `now` the assessment was made with. */
  readonly now: string;
  /** The id a granted line takes (a closed line is never reopened: a new grant is a new line). */
  readonly newCreditLineId: string;
  /** The portfolio budget as it stands for this merchant; absent or null: no budget. */
  readonly budget?: BudgetStanding | null;
}

export interface LineDecision {
  /** The line after the decision (null: still no line). May differ from the line before with no event: freeze bookkeeping. */
  readonly next: CreditLineState | null;
  readonly event: CreditLineEventType | null;
  /** How the offer fitted the budget, when a budget applied to an offer. */
  readonly budgetFit: BudgetFit | null;
}

interface LineFields {
  readonly status: CreditLineStatus;
  readonly limitMinor: bigint;
  readonly requestedLimitMinor: bigint;
  readonly grade: string;
  readonly dailyRateBps: number;
  readonly reasons: readonly Reason[];
  readonly manualFreeze: boolean;
  readonly automaticFreezeSince: string | null;
  readonly softDeclineSince: string | null;
}

function lineAfter(
  identity: Pick<CreditLineState, 'creditLineId' | 'merchantId' | 'currency'>,
  assessment: CreditAssessment,
  context: LineDecisionContext,
  fields: LineFields,
): CreditLineState {
  const { outstandingMinor, reservedMinor } = assessment.lending;
  const line: CreditLineState = {
    ...identity,
    ...fields,
    availableMinor:
      fields.status === 'ACTIVE' ? availableOf(fields.limitMinor, outstandingMinor, reservedMinor) : 0n,
    outstandingMinor,
    reservedMinor,
    score: assessment.score,
    policyVersion: assessment.policyVersion,
    decisionId: context.decisionId,
    profileAsOf: assessment.profileAsOf,
    decidedAt: context.now,
  };
  assertCreditLineState(line);
  return line;
}

const emitted = (
  next: CreditLineState,
  event: CreditLineEventType,
  budgetFit: BudgetFit | null = null,
): LineDecision => ({ next, event, budgetFit });
const held = (next: CreditLineState | null): LineDecision => {
  if (next !== null) assertCreditLineState(next);
  return { next, event: null, budgetFit: null };
};

/**
 * A line the policy leaves as it is (frozen, or held on an untrusted profile) still answers to
 * the budget: after treasury cuts it, or once better-ranked merchants claim the headroom, the
 * line is trimmed to its fit (at most its ranked share and the room the others leave), so the
 * budget's guarantees hold for every open line, not only for the ones the policy re-sizes.
 */
function holdWithinBudget(
  line: CreditLineState,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): LineDecision {
  if (!context.budget) return held(line);
  const { outstandingMinor, reservedMinor } = assessment.lending;
  const fit = fitToBudget(
    {
      merchantId: line.merchantId,
      requestedLimitMinor: line.limitMinor,
      committedMinor: outstandingMinor + reservedMinor,
      score: line.score,
    },
    context.budget,
  );
  if (!fit.squeezed) return held(line);
  const limitMinor = budgetCutLimit(
    floorToStep(fit.limitMinor, policy.sizing.limitStepMinor[line.currency] ?? 1n),
    outstandingMinor + reservedMinor,
    policy,
    line.currency,
  );
  const budgetReason = reason(
    'PORTFOLIO_BUDGET',
    `portfolio budget binds: limit cut from ${formatMinor(line.limitMinor, line.currency)} to ${formatMinor(limitMinor, line.currency)}`,
  );
  const next: CreditLineState = {
    ...line,
    limitMinor,
    availableMinor: line.status === 'ACTIVE' ? availableOf(limitMinor, outstandingMinor, reservedMinor) : 0n,
    outstandingMinor,
    reservedMinor,
    reasons: [...line.reasons.filter((found) => found.code !== 'PORTFOLIO_BUDGET'), budgetReason].slice(
      -REASONS_MAX,
    ),
    decisionId: context.decisionId,
    decidedAt: context.now,
  };
  assertCreditLineState(next);
  return emitted(next, 'credit-line.adjusted', fit);
}

function decideWithoutLine(
  previous: CreditLineState | null,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): LineDecision {
  const offer = assessment.offer;
  // Contract: a merchant with no line and no change gets no event.
  if (!assessment.eligible || assessment.silence !== null || offer === null || offer.limitMinor === 0n)
    return held(previous);
  const fitted = fitOfferToBudget(gradeBandFor(assessment.score, policy), assessment, policy, context.budget);
  const identity = {
    creditLineId: context.newCreditLineId,
    merchantId: assessment.merchantId,
    currency: assessment.sizing!.currency,
  };
  const next = lineAfter(identity, assessment, context, {
    status: 'ACTIVE',
    limitMinor: fitted.limitMinor,
    requestedLimitMinor: fitted.offer.limitMinor,
    grade: fitted.offer.grade,
    dailyRateBps: fitted.offer.dailyRateBps,
    reasons: fitted.reasons,
    manualFreeze: false,
    automaticFreezeSince: null,
    softDeclineSince: null,
  });
  return emitted(next, 'credit-line.granted', fitted.fit);
}

function close(
  line: CreditLineState,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): LineDecision {
  const band = gradeBandFor(assessment.score, policy);
  const next = lineAfter(line, assessment, context, {
    status: 'CLOSED',
    limitMinor: 0n,
    requestedLimitMinor: 0n,
    grade: band.grade,
    dailyRateBps: band.dailyRateBps,
    reasons: [assessment.silence!],
    manualFreeze: false,
    automaticFreezeSince: null,
    softDeclineSince: null,
  });
  return emitted(next, 'credit-line.closed');
}

/**
 * Whether the budget lets a line keep `limitMinor`: the limit's own fit (asked for as the
 * request, at the merchant's fresh score and commitment) is the limit itself. The fit of a
 * smaller offer cannot tell: its share is capped by what it asks.
 */
function budgetKeepsLimit(limitMinor: bigint, assessment: CreditAssessment, budget: BudgetStanding): boolean {
  const { outstandingMinor, reservedMinor } = assessment.lending;
  const fit = fitToBudget(
    {
      merchantId: assessment.merchantId,
      requestedLimitMinor: limitMinor,
      committedMinor: outstandingMinor + reservedMinor,
      score: assessment.score,
    },
    budget,
  );
  return !fit.squeezed;
}

function decideActive(
  line: CreditLineState,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): LineDecision {
  const fresh = gradeBandFor(assessment.score, policy);
  if (assessment.freezeTriggers.length > 0) {
    // The limit is kept so a recovery can restore the line as it was; nothing can be drawn meanwhile.
    const next = lineAfter(line, assessment, context, {
      ...line,
      status: 'FROZEN',
      requestedLimitMinor: line.limitMinor,
      grade: fresh.grade,
      dailyRateBps: fresh.dailyRateBps,
      reasons: assessment.freezeTriggers,
      automaticFreezeSince: context.now,
      softDeclineSince: null,
    });
    return emitted(next, 'credit-line.frozen');
  }
  if (!assessment.profileComplete) return holdWithinBudget(line, assessment, policy, context);
  if (!assessment.eligible) {
    if (line.limitMinor === 0n) return held(line);
    const next = lineAfter(line, assessment, context, {
      ...line,
      limitMinor: 0n,
      requestedLimitMinor: 0n,
      grade: fresh.grade,
      dailyRateBps: fresh.dailyRateBps,
      reasons: assessment.declines,
      softDeclineSince: context.now,
    });
    return emitted(next, 'credit-line.adjusted');
  }
  // Regaining eligibility right after a soft cut waits a little, so a merchant hovering at a
  // threshold does not see its line cut and restored on alternate events.
  if (
    line.softDeclineSince !== null &&
    wholeDaysBetween(line.softDeclineSince, context.now) < policy.hysteresis.regainAfterDays
  )
    return held(line);
  const band = gradeBandForActiveLine(line, assessment, policy);
  const offered = fitOfferToBudget(band, assessment, policy, context.budget);
  const { fit } = offered;
  // Hysteresis never holds back a cut the budget needs: keeping the old limit must still fit.
  const budgetForcesCut =
    fit !== null &&
    offered.limitMinor < line.limitMinor &&
    (policy.hysteresis.strictBudgetCuts === true
      ? !budgetKeepsLimit(line.limitMinor, assessment, context.budget!)
      : // Before v4: the fit's share is capped by the offer, so this held for every cut, needed or not.
        line.limitMinor > minOf(fit.roomMinor, fit.shareMinor));
  // …but such a cut leaves some slack under the fit (v3 on), so the next small squeeze needs none.
  const dampedMinor = budgetForcesCut
    ? budgetCutLimit(offered.limitMinor, committedOf(assessment.lending), policy, line.currency)
    : offered.limitMinor;
  const fitted =
    dampedMinor < offered.limitMinor ? dampedBudgetOffer(offered, dampedMinor, line.currency) : offered;
  const { limitMinor } = fitted;
  const repriced = band.grade !== line.grade || band.dailyRateBps !== line.dailyRateBps;
  const crossesZero = (line.limitMinor === 0n) !== (limitMinor === 0n);
  if (
    !repriced &&
    !budgetForcesCut &&
    !crossesZero &&
    !isMaterialLimitMove(line.limitMinor, limitMinor, policy, line.currency)
  )
    return held(line);
  const next = lineAfter(line, assessment, context, {
    ...line,
    limitMinor,
    requestedLimitMinor: fitted.offer.limitMinor,
    grade: band.grade,
    dailyRateBps: band.dailyRateBps,
    reasons: fitted.reasons,
    softDeclineSince: limitMinor > 0n ? null : line.softDeclineSince,
  });
  return emitted(next, 'credit-line.adjusted', fit);
}

function decideFrozen(
  line: CreditLineState,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): LineDecision {
  const since = line.automaticFreezeSince;
  const coolingOff = since !== null && wholeDaysBetween(since, context.now) < policy.unfreeze.frozenDaysMin;
  const recovered =
    assessment.profileComplete &&
    assessment.eligible &&
    assessment.recoveryBlockers.length === 0 &&
    !coolingOff;
  if (line.manualFreeze) {
    // Operations hold the line; the policy only keeps its own books, so that lifting the manual
    // freeze later reopens the line only if the policy would have too.
    const automaticFreezeSince =
      assessment.freezeTriggers.length > 0 ? (since ?? context.now) : recovered ? null : since;
    return holdWithinBudget({ ...line, automaticFreezeSince }, assessment, policy, context);
  }
  if (!recovered) {
    return holdWithinBudget(
      { ...line, automaticFreezeSince: since ?? context.now },
      assessment,
      policy,
      context,
    );
  }
  const fitted = fitOfferToBudget(gradeBandFor(assessment.score, policy), assessment, policy, context.budget);
  const recovery = reason(
    'RECOVERED',
    since === null
      ? 'the manual freeze was lifted and the policy finds nothing to hold the line'
      : `freeze triggers clear after ${wholeDaysBetween(since, context.now)} days frozen`,
  );
  const next = lineAfter(line, assessment, context, {
    status: 'ACTIVE',
    limitMinor: fitted.limitMinor,
    requestedLimitMinor: fitted.offer.limitMinor,
    grade: fitted.offer.grade,
    dailyRateBps: fitted.offer.dailyRateBps,
    reasons: [recovery, ...fitted.reasons],
    manualFreeze: false,
    automaticFreezeSince: null,
    softDeclineSince: null,
  });
  return emitted(next, 'credit-line.unfrozen', fitted.fit);
}

/** One underwriting decision for one merchant. */
export function decideCreditLine(
  current: CreditLineState | null,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): LineDecision {
  if (assessment.policyVersion !== policy.version)
    throw new RangeError(`assessment made with ${assessment.policyVersion}, decided with ${policy.version}`);
  if (current !== null && current.merchantId !== assessment.merchantId)
    throw new RangeError(`line of ${current.merchantId} decided with ${assessment.merchantId}'s assessment`);
  if (current !== null && assessment.currency !== null && current.currency !== assessment.currency) {
    throw new RangeError(
      `line in ${current.currency}, profile in ${assessment.currency}: one merchant has one currency`,
    );
  }
  if (current === null || current.status === 'CLOSED')
    return decideWithoutLine(current, assessment, policy, context);
  // Silence is read from the profile too: under failClosed (v3 on), an untrusted profile (one
  // that lost its history, say) closes nothing; the line is decided, and held, as below.
  const silenceTrusted = assessment.profileComplete || !policy.failClosed?.holdOnPartialHistory;
  if (assessment.silence !== null && silenceTrusted) return close(current, assessment, policy, context);
  return current.status === 'FROZEN'
    ? decideFrozen(current, assessment, policy, context)
    : decideActive(current, assessment, policy, context);
}
