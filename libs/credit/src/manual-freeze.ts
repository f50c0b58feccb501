import { err, ok, Result } from '@lendstream/contracts';
import { assertCreditLineState, CreditLineState } from './credit-line-state';
import { decideCreditLine, LineDecision, LineDecisionContext } from './decide-line';
import { CreditAssessment } from './evaluate-policy';
import { CreditPolicy } from './policy';
import { reason, REASON_MESSAGE_MAX, REASONS_MAX } from './reason';

/**
 * Operations' freeze and unfreeze (CONTRACT.md: `POST …/credit-line/freeze · /unfreeze`). A
 * manual freeze holds until operations lift it; no automatic decision ever does.
 */
export type ManualFreezeError = 'CREDIT_LINE.NOT_FOUND' | 'CREDIT_LINE.CLOSED';
export type ManualUnfreezeError = ManualFreezeError | 'CREDIT_LINE.NOT_MANUALLY_FROZEN';

export interface ManualFreezeRequest {
  readonly decisionId: string;
  readonly now: string;
  /** Why operations froze it, for the event's MANUAL_FREEZE reason. */
  readonly message: string;
}

/** Operations freeze a line (no profile needed: it must work while Redis is down). Freezing a manually frozen line again is a no-op. */
export function freezeManually(
  current: CreditLineState | null,
  request: ManualFreezeRequest,
): Result<LineDecision, ManualFreezeError> {
  if (current === null) return err('CREDIT_LINE.NOT_FOUND');
  if (current.status === 'CLOSED') return err('CREDIT_LINE.CLOSED');
  if (current.manualFreeze) return ok({ next: current, event: null, budgetFit: null });
  const manual = reason('MANUAL_FREEZE', request.message.slice(0, REASON_MESSAGE_MAX));
  // Already frozen by the policy: its reasons stay listed beside the manual one.
  const reasons = current.status === 'FROZEN' ? [manual, ...current.reasons].slice(0, REASONS_MAX) : [manual];
  const next: CreditLineState = {
    ...current,
    status: 'FROZEN',
    availableMinor: 0n,
    manualFreeze: true,
    softDeclineSince: null,
    reasons,
    decisionId: request.decisionId,
    decidedAt: request.now,
  };
  assertCreditLineState(next);
  return ok({ next, event: 'credit-line.frozen', budgetFit: null });
}

/**
 * Operations lift their freeze. That releases only the manual hold: the same decision runs
 * the policy on a fresh assessment, and the line reopens only if the policy has nothing to
 * hold it for (a live trigger keeps it frozen, now as an automatic freeze).
 */
export function unfreezeManually(
  current: CreditLineState | null,
  assessment: CreditAssessment,
  policy: CreditPolicy,
  context: LineDecisionContext,
): Result<LineDecision, ManualUnfreezeError> {
  if (current === null) return err('CREDIT_LINE.NOT_FOUND');
  if (current.status === 'CLOSED') return err('CREDIT_LINE.CLOSED');
  if (!current.manualFreeze) return err('CREDIT_LINE.NOT_MANUALLY_FROZEN');
  return ok(decideCreditLine({ ...current, manualFreeze: false }, assessment, policy, context));
}
