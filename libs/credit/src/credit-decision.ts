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

/** The whole pipeline for one merchant: evaluate the policy, then decide the line. Pure. */
export function decideCredit(input: CreditDecisionInput, policy: CreditPolicy): CreditDecision {
  const base = { input, policyVersion: policy.version, policyFingerprint: policyFingerprint(policy) };
  const outcome = (
    assessment: CreditAssessment | null,
    decided: { ok: true; value: LineDecision } | { ok: false; error: ManualUnfreezeError },
  ): CreditDecision =>
    decided.ok
      ? {
          ...base,
          assessment,
          event: decided.value.event,
          next: decided.value.next,
          budgetFit: decided.value.budgetFit,
          rejection: null,
        }
      : {
          ...base,
          assessment,
          event: null,
          next: input.previousLine,
          budgetFit: null,
          rejection: decided.error,
        };
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
  if (input.profile === null)
    throw new RangeError(`decision ${input.decisionId}: ${command.kind} needs a profile`);
  if (input.profile.merchantId !== input.merchantId)
    throw new RangeError(
      `decision ${input.decisionId} for ${input.merchantId} got ${input.profile.merchantId}'s profile`,
    );
  const assessment = evaluateCredit(input.profile, policy, {
    now: input.now,
    lending: input.lending,
    // Stored with the decision (inputs.previousLine), so a replay judges the history the same way.
    lineProfileAsOf: input.previousLine?.profileAsOf ?? null,
  });
  const context: LineDecisionContext = {
    decisionId: input.decisionId,
    now: input.now,
    newCreditLineId: input.newCreditLineId,
    budget: input.budget,
  };
  if (command.kind === 'manual-unfreeze')
    return outcome(assessment, unfreezeManually(input.previousLine, assessment, policy, context));
  return outcome(assessment, {
    ok: true,
    value: decideCreditLine(input.previousLine, assessment, policy, context),
  });
}
