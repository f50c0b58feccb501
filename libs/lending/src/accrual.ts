import type { JournalEntryDraft } from '@lendstream/ledger';
import { err, ok, Result } from '@lendstream/contracts';
import { noLineChange } from './credit-line-view';
import { accrualDaysDue, accrueOneDay } from './interest';
import { LendingPolicy } from './lending-policy';
import { lastAccruableDayOf, Loan } from './loan';
import { interestAccruedEntry, postable } from './loan-journal';
import { LoanOutcome, loanOutcome } from './loan-outcome';
import { IllegalTransition, illegalTransition } from './refusal';

export interface CaughtUp {
  readonly loan: Loan;
  /** One INTEREST_ACCRUED entry per day with interest, oldest first (a day that rounds to 0 posts nothing). */
  readonly journal: readonly JournalEntryDraft[];
}

/**
 * Posts the interest of every day that has ended by `now` and is not posted yet, on the
 * principal outstanding now. That principal is right for every one of those days because every
 * transition that changes principal (a repayment, a write-off) catches up first: principal is
 * constant between the last posted day and now. A loan that is not active is returned as is.
 */
export function catchUpAccrual(loan: Loan, now: string, policy: LendingPolicy): CaughtUp {
  if (loan.status !== 'ACTIVE' || loan.lastAccruedDay === null) return { loan, journal: [] };
  const days = accrualDaysDue(loan.lastAccruedDay, now, lastAccruableDayOf(loan, policy));
  if (days.length === 0) return { loan, journal: [] };
  let carry = loan.interestCarryTenThousandths;
  let postedMinor = 0n;
  const entries: (JournalEntryDraft | null)[] = [];
  for (const day of days) {
    const accrued = accrueOneDay(carry, loan.principalOutstandingMinor, loan.dailyRateBps);
    carry = accrued.carryTenThousandths;
    postedMinor += accrued.interestMinor;
    entries.push(interestAccruedEntry(loan, day, accrued.interestMinor));
  }
  return {
    loan: {
      ...loan,
      interestCarryTenThousandths: carry,
      interestAccruedMinor: loan.interestAccruedMinor + postedMinor,
      interestOutstandingMinor: loan.interestOutstandingMinor + postedMinor,
      lastAccruedDay: days[days.length - 1]!,
    },
    journal: postable(entries),
  };
}

/**
 * The daily accrual job's transition: idempotent (run twice with the same `now`, the second
 * run has no day left to post; and each day's entry has the key `accrual:<loanId>:<day>`, so
 * even a retried transaction posts a day once) and catching up after downtime, oldest day first.
 */
export function accrueInterest(
  loan: Loan,
  now: string,
  policy: LendingPolicy,
): Result<LoanOutcome, IllegalTransition> {
  const refusal = illegalTransition(loan, 'accrue-interest');
  if (refusal !== null) return err(refusal);
  const caughtUp = catchUpAccrual(loan, now, policy);
  return ok(loanOutcome(caughtUp.loan, caughtUp.journal, [], noLineChange(loan.creditLineId)));
}
