import type { MerchantProfile } from '@lendstream/profile';
import { CreditLineEventType, CreditLineState } from './credit-line-state';
import { decideCreditLine, LineDecision, LineDecisionContext } from './decide-line';
import { CreditAssessment, evaluateCredit } from './evaluate-policy';
import { BudgetFit, BudgetStanding } from './fit-to-budget';
import { LendingPosition } from './freeze-triggers';
import { freezeManually, ManualUnfreezeError, unfreezeManually } from './manual-freeze';
import { CreditPolicy } from './policy';
import { policyFingerprint } from './policy-registry';

/**
 * A decision as the underwriter stores it (issue 3, items 1 and 5): what it saw (the profile's
 * features, the lending position, the budget standing, the line before), the policy version
 * and fingerprint it used, and what it concluded. Its stored form and replay are in
 * stored-decision.ts.
 */
export type DecisionCommand =
  | { readonly kind: 'underwrite' }
  | { readonly kind: 'manual-freeze'; readonly message: string }
  | { readonly kind: 'manual-unfreeze' };

export interface CreditDecisionInput {
  readonly decisionId: string;
  readonly merchantId: string;
  /** decidedAt: the instant the decision is made as of. */
  readonly now: string;
  readonly command: DecisionCommand;
  /** Null only for a manual freeze, which must work without the profile store. */
  readonly profile: MerchantProfile | null;
  readonly lending: LendingPosition;
  readonly budget: BudgetStanding | null;
  readonly previousLine: CreditLineState | null;
  readonly newCreditLineId: string;
}

export interface CreditDecision {
  readonly input: CreditDecisionInput;
  readonly policyVersion: string;
  readonly policyFingerprint: string;
  readonly assessment: CreditAssessment | null;
  readonly event: CreditLineEventType | null;
  readonly next: CreditLineState | null;
  readonly budgetFit: BudgetFit | null;
  /** A manual command that could not apply (no line, not manually frozen…). */
  readonly rejection: ManualUnfreezeError | null;
}

/**
 * The policy's assessment a decision is made on: the profile, the lending position and the
 * line's profileAsOf (stored with the decision as inputs.previousLine, so a replay judges the
 * history the same way), as of the decision's instant. The budget plays no part, which is why
 * decideWithBudget makes it once and hands it to both of its passes.
 */
export function assessForDecision(input: CreditDecisionInput, policy: CreditPolicy): CreditAssessment {
  if (input.profile === null)
    throw new RangeError(`decision ${input.decisionId}: ${input.command.kind} needs a profile`);
  if (input.profile.merchantId !== input.merchantId)
    throw new RangeError(
      `decision ${input.decisionId} for ${input.merchantId} got ${input.profile.merchantId}'s profile`,
    );
  return evaluateCredit(input.profile, policy, {
    now: input.now,
    lending: input.lending,
    lineProfileAsOf: input.previousLine?.profileAsOf ?? null,
  });
}

/** An assessment handed in must be the one assessForDecision would make: same merchant, policy, instant, profile and loans. */
function assertAssessmentOf(
  assessment: CreditAssessment,
  input: CreditDecisionInput,
  policy: CreditPolicy,
): void {
  const matches =
    assessment.merchantId === input.merchantId &&
    assessment.policyVersion === policy.version &&
    assessment.evaluatedAt === input.now &&
    assessment.profileAsOf === input.profile?.asOf &&
    assessment.lending === input.lending;
  if (!matches)
    throw new RangeError(
      `decision ${input.decisionId} was handed an assessment of ${assessment.merchantId} by ${assessment.policyVersion} at ${assessment.evaluatedAt}, not its own`,
    );
}

/**
 * The whole pipeline for one merchant: evaluate the policy, then decide the line. Pure.
 * `assessed`, when given, is assessForDecision(input, policy) made earlier (decideWithBudget
 * reuses it across its passes): evaluating the policy is most of a decision's work.
 */
export function decideCredit(
  input: CreditDecisionInput,
  policy: CreditPolicy,
  assessed?: CreditAssessment,
): CreditDecision {
  const policyVersion = policy.version;
  const fingerprint = policyFingerprint(policy);
  // Literal objects with the fields in one order (no spread of a shared base): decisions are
  // made several times a second per merchant, and their key order is the stored order.
  const decided = (assessment: CreditAssessment | null, value: LineDecision): CreditDecision => ({
    input,
    policyVersion,
    policyFingerprint: fingerprint,
    assessment,
    event: value.event,
    next: value.next,
    budgetFit: value.budgetFit,
    rejection: null,
  });
  const rejected = (assessment: CreditAssessment | null, error: ManualUnfreezeError): CreditDecision => ({
    input,
    policyVersion,
    policyFingerprint: fingerprint,
    assessment,
    event: null,
    next: input.previousLine,
    budgetFit: null,
    rejection: error,
  });
  const outcome = (
    assessment: CreditAssessment | null,
    result: { ok: true; value: LineDecision } | { ok: false; error: ManualUnfreezeError },
  ): CreditDecision => (result.ok ? decided(assessment, result.value) : rejected(assessment, result.error));
  const { command } = input;
  if (command.kind === 'manual-freeze') {
    return outcome(
      null,
      freezeManually(input.previousLine, {
        decisionId: input.decisionId,
        now: input.now,
        message: command.message,
      }),
    );
  }
  let assessment: CreditAssessment;
  if (assessed === undefined) assessment = assessForDecision(input, policy);
  else {
    assertAssessmentOf(assessed, input, policy);
    assessment = assessed;
  }
  const context: LineDecisionContext = {
    decisionId: input.decisionId,
    now: input.now,
    newCreditLineId: input.newCreditLineId,
    budget: input.budget,
  };
  if (command.kind === 'manual-unfreeze')
    return outcome(assessment, unfreezeManually(input.previousLine, assessment, policy, context));
  return decided(assessment, decideCreditLine(input.previousLine, assessment, policy, context));
}
