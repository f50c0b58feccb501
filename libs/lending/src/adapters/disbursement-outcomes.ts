import type { EntityManager } from 'typeorm';
import { failDisbursement, settleDisbursement } from '../disbursement';
import { Loan } from '../loan';
import { DisbursementOutcomeConflict, UnknownDisbursement } from './adapter-refusals';
import { businessInstant } from './business-instant';
import { lockLendingLine } from './lending-line';
import { findLoanByDisbursementId, lockLoans } from './loan-store';
import { assertInTransaction } from './transaction';
import { writeLoanOutcomes } from './write-loan-outcomes';

export interface SettledDisbursementInput {
  /** The merchant treasury names: it must be the loan's. */
  readonly merchantId: string;
  readonly disbursementId: string;
  readonly treasuryRef: string;
  /** When the money left (the treasury event's time). */
  readonly settledAt: string;
}

export interface FailedDisbursementInput {
  readonly merchantId: string;
  readonly disbursementId: string;
  readonly reason: string;
  readonly failedAt: string;
}

export type DisbursementResult =
  /** The loan moved: ACTIVE (settled) or CANCELLED (failed), with its journal, line and events. */
  | { readonly kind: 'applied'; readonly loan: Loan }
  /** Treasury said the same thing before (a re-published confirmation): no second effect. */
  | { readonly kind: 'already-applied'; readonly loan: Loan }
  /** Nothing was written; a Kafka consumer dead-letters the confirmation. */
  | { readonly kind: 'refused'; readonly refusal: UnknownDisbursement | DisbursementOutcomeConflict };

/**
 * `disbursement.settled`: the loan awaiting this disbursement becomes ACTIVE (its term runs
 * from the disbursement day), the DISBURSEMENT_SETTLED entry is posted, the principal moves
 * from the line's reserved to its outstanding, and `loan.activated` goes to the outbox. In the
 * caller's transaction; the line is locked before the loan.
 */
export async function settleDisbursementById(
  manager: EntityManager,
  input: SettledDisbursementInput,
): Promise<DisbursementResult> {
  assertInTransaction(manager, 'settleDisbursementById');
  const settledAt = businessInstant('settledAt', input.settledAt);
  const located = await lockDisbursedLoan(manager, input.merchantId, input.disbursementId);
  if (!('loanId' in located)) return { kind: 'refused', refusal: located };
  const loan = located;
  if (loan.status === 'PENDING_DISBURSEMENT') {
    const settled = settleDisbursement(loan, { treasuryRef: input.treasuryRef, settledAt });
    if (!settled.ok) throw new Error(`settling ${loan.loanId}: ${settled.error.message}`);
    await writeLoanOutcomes(manager, [settled.value], settled.value.loan.disbursedAt!);
    return { kind: 'applied', loan: settled.value.loan };
  }
  if (loan.status !== 'CANCELLED' && loan.treasuryRef === input.treasuryRef)
    return { kind: 'already-applied', loan };
  return {
    kind: 'refused',
    refusal: {
      code: 'DISBURSEMENT_OUTCOME_CONFLICT',
      loanId: loan.loanId,
      message:
        loan.status === 'CANCELLED'
          ? `disbursement ${input.disbursementId} was reported failed (${loan.cancellationReason}) and loan ${loan.loanId} cancelled; treasury now reports it settled (${input.treasuryRef}): reconcile with treasury`
          : `disbursement ${input.disbursementId} was settled as ${loan.treasuryRef}; treasury now reports it settled as ${input.treasuryRef}: money may have left twice, reconcile with treasury`,
    },
  };
}

/**
 * `disbursement.failed`: the loan awaiting this disbursement is CANCELLED with treasury's
 * reason, the DISBURSEMENT_FAILED entry reverses the drawdown's, and the principal returns to
 * the line (reserved − principal). No event: treasury sent the failure itself.
 */
export async function failDisbursementById(
  manager: EntityManager,
  input: FailedDisbursementInput,
): Promise<DisbursementResult> {
  assertInTransaction(manager, 'failDisbursementById');
  const failedAt = businessInstant('failedAt', input.failedAt);
  const located = await lockDisbursedLoan(manager, input.merchantId, input.disbursementId);
  if (!('loanId' in located)) return { kind: 'refused', refusal: located };
  const loan = located;
  if (loan.status === 'PENDING_DISBURSEMENT') {
    const failed = failDisbursement(loan, { reason: input.reason, failedAt });
    if (!failed.ok) throw new Error(`failing ${loan.loanId}: ${failed.error.message}`);
    await writeLoanOutcomes(manager, [failed.value], failed.value.loan.closedAt!);
    return { kind: 'applied', loan: failed.value.loan };
  }
  if (loan.status === 'CANCELLED') return { kind: 'already-applied', loan };
  return {
    kind: 'refused',
    refusal: {
      code: 'DISBURSEMENT_OUTCOME_CONFLICT',
      loanId: loan.loanId,
      message: `disbursement ${input.disbursementId} was settled as ${loan.treasuryRef} (loan ${loan.loanId} is ${loan.status}); treasury now reports it failed (${input.reason}): reconcile with treasury`,
    },
  };
}

/** The loan of a disbursement, re-read under its merchant's line lock and its own; or why there is none. */
async function lockDisbursedLoan(
  manager: EntityManager,
  merchantId: string,
  disbursementId: string,
): Promise<Loan | UnknownDisbursement> {
  const found = await findLoanByDisbursementId(manager, disbursementId);
  if (found === null || found.loan.merchantId !== merchantId)
    return {
      code: 'UNKNOWN_DISBURSEMENT',
      message:
        found === null
          ? `no loan has disbursement ${JSON.stringify(disbursementId)}`
          : `disbursement ${disbursementId} is not merchant ${merchantId}'s`,
    };
  await lockLendingLine(manager, merchantId);
  const [loan] = await lockLoans(manager, [found.loan.loanId]);
  if (loan === undefined) throw new Error(`loan ${found.loan.loanId} vanished while it was being locked`);
  return loan;
}
