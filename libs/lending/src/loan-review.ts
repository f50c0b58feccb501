import { err, ok, Result } from '@lendstream/contracts';
import { catchUpAccrual } from './accrual';
import { daysPastDue, delinquencyBucketOf, isNewOverdueBucket, isWriteOffDue } from './delinquency';
import { loanEvent } from './lending-events';
import { LendingPolicy } from './lending-policy';
import { dueAtOf, Loan } from './loan';
import { postable, writeOffEntry } from './loan-journal';
import { LoanOutcome, loanOutcome } from './loan-outcome';
import { noLineChange } from './credit-line-view';
import { IllegalTransition, illegalTransition, refuse, WriteOffRefusal } from './refusal';

function writeOffCaughtUp(caughtUp: Loan, journalBefore: LoanOutcome['journal'], now: string): LoanOutcome {
  const principalMinor = caughtUp.principalOutstandingMinor;
  const interestMinor = caughtUp.interestOutstandingMinor;
  const writtenOff: Loan = {
    ...caughtUp,
    status: 'WRITTEN_OFF',
    principalOutstandingMinor: 0n,
    principalWrittenOffMinor: principalMinor,
    interestOutstandingMinor: 0n,
    interestWrittenOffMinor: interestMinor,
    closedAt: now,
  };
  return loanOutcome(
    writtenOff,
    [...journalBefore, ...postable([writeOffEntry(writtenOff, { principalMinor, interestMinor }, now)])],
    [loanEvent('loan.written-off', writtenOff, now)],
    { creditLineId: caughtUp.creditLineId, reservedDeltaMinor: 0n, outstandingDeltaMinor: -principalMinor },
  );
}

/**
 * Writes a loan off: what it still owes, principal and interest (brought up to date first),
 * becomes a credit loss, the principal leaves the line's outstanding, and `loan.written-off`
 * goes out. Refused before the loan is the policy's days past due.
 */
export function writeOffLoan(
  loan: Loan,
  now: string,
  policy: LendingPolicy,
): Result<LoanOutcome, WriteOffRefusal> {
  const refusal = illegalTransition(loan, 'write-off');
  if (refusal !== null) return err(refusal);
  const late = daysPastDue(dueAtOf(loan), now);
  if (!isWriteOffDue(late, policy))
    return refuse(
      'WRITE_OFF_NOT_DUE',
      `loan ${loan.loanId} is ${late} days past due; it is written off at ${policy.writeOffDaysPastDue}`,
    );
  const caughtUp = catchUpAccrual(loan, now, policy);
  return ok(writeOffCaughtUp(caughtUp.loan, caughtUp.journal, now));
}

/**
 * The daily review of an active loan, idempotent and catching up like accrual: posts the
 * interest due, then either writes the loan off (at the policy's days past due) or, when it
 * has entered a worse days-past-due bucket since the last review, sends `loan.overdue` once for
 * that bucket. Run twice at the same `now`, the second run changes nothing.
 */
export function reviewLoan(
  loan: Loan,
  now: string,
  policy: LendingPolicy,
): Result<LoanOutcome, IllegalTransition> {
  const refusal = illegalTransition(loan, 'review');
  if (refusal !== null) return err(refusal);
  const caughtUp = catchUpAccrual(loan, now, policy);
  const late = daysPastDue(dueAtOf(loan), now);
  if (isWriteOffDue(late, policy)) return ok(writeOffCaughtUp(caughtUp.loan, caughtUp.journal, now));
  const bucket = delinquencyBucketOf(late);
  if (!isNewOverdueBucket(bucket, loan.overdueBucketReported))
    return ok(loanOutcome(caughtUp.loan, caughtUp.journal, [], noLineChange(loan.creditLineId)));
  const reported: Loan = { ...caughtUp.loan, overdueBucketReported: bucket };
  return ok(
    loanOutcome(
      reported,
      caughtUp.journal,
      [loanEvent('loan.overdue', reported, now)],
      noLineChange(loan.creditLineId),
    ),
  );
}
