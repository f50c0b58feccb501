import { err, ok, Result } from '@lendstream/contracts';
import { addDays, businessDayOf, laterInstant } from './business-day';
import { loanEvent } from './lending-events';
import { dueAtFor, Loan } from './loan';
import { disbursementFailedEntry, disbursementSettledEntry, postable } from './loan-journal';
import { LoanOutcome, loanOutcome } from './loan-outcome';
import { IllegalTransition, illegalTransition } from './refusal';

export interface DisbursementSettled {
  readonly treasuryRef: string;
  /** When the money left (the treasury event's time). */
  readonly settledAt: string;
}

/**
 * Treasury paid: the loan becomes ACTIVE. The term runs from the disbursement day, because the
 * merchant has the money from then; a slow payout must not eat into the term it paid for. The
 * disbursement instant is the later of treasury's time and the request's, so a treasury clock
 * a little behind ours can neither dead-letter a real payment nor date a loan before it was asked for.
 */
export function settleDisbursement(
  loan: Loan,
  settled: DisbursementSettled,
): Result<LoanOutcome, IllegalTransition> {
  const refusal = illegalTransition(loan, 'settle-disbursement');
  if (refusal !== null) return err(refusal);
  const disbursedAt = laterInstant(loan.requestedAt, settled.settledAt);
  const active: Loan = {
    ...loan,
    status: 'ACTIVE',
    disbursedAt,
    treasuryRef: settled.treasuryRef,
    dueAt: dueAtFor(disbursedAt, loan.termDays),
    principalOutstandingMinor: loan.principalMinor,
    // Interest starts on the disbursement day: nothing of it is posted yet.
    lastAccruedDay: addDays(businessDayOf(disbursedAt), -1),
  };
  return ok(
    loanOutcome(
      active,
      postable([disbursementSettledEntry(active, disbursedAt)]),
      [loanEvent('loan.activated', active, disbursedAt)],
      {
        creditLineId: loan.creditLineId,
        reservedDeltaMinor: -loan.principalMinor,
        outstandingDeltaMinor: loan.principalMinor,
      },
    ),
  );
}

export interface DisbursementFailed {
  /** Treasury's reason, kept on the loan for operations. */
  readonly reason: string;
  readonly failedAt: string;
}

/**
 * Treasury paid nothing: the loan is CANCELLED and its principal returns to the line. The
 * contract has no event for it: treasury, the only consumer of disbursements, sent the failure.
 */
export function failDisbursement(
  loan: Loan,
  failed: DisbursementFailed,
): Result<LoanOutcome, IllegalTransition> {
  const refusal = illegalTransition(loan, 'fail-disbursement');
  if (refusal !== null) return err(refusal);
  const failedAt = laterInstant(loan.requestedAt, failed.failedAt);
  const cancelled: Loan = {
    ...loan,
    status: 'CANCELLED',
    cancellationReason: failed.reason,
    closedAt: failedAt,
  };
  return ok(
    loanOutcome(cancelled, postable([disbursementFailedEntry(cancelled, failedAt)]), [], {
      creditLineId: loan.creditLineId,
      reservedDeltaMinor: -loan.principalMinor,
      outstandingDeltaMinor: 0n,
    }),
  );
}
