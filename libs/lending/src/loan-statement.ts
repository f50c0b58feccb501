import { catchUpAccrual } from './accrual';
import { addDays, BusinessDay, epochDayOf, businessDayOf } from './business-day';
import { DelinquencyBucket, daysPastDue, delinquencyBucketOf } from './delinquency';
import { interestOverDays } from './interest';
import { LendingPolicy } from './lending-policy';
import { amountOwedOf, dueDayOf, lastAccruableDayOf, Loan } from './loan';

/** What `GET /v1/loans/{loanId}` shows of a disbursed loan as of `now`, without changing it. */
export interface LoanStatement {
  readonly loanId: string;
  readonly dueAt: string;
  /** As of now while active; as of the day it closed for a repaid or written-off loan. */
  readonly daysPastDue: number;
  readonly bucket: DelinquencyBucket;
  /** Interest of ended days the accrual job has not posted yet (it will, as they are due). */
  readonly interestUnpostedMinor: bigint;
  /** Principal plus interest through yesterday: what repays the loan in full today. */
  readonly payoffTodayMinor: bigint;
  /**
   * What repays it in full on its due day if nothing is paid before (interest through the day
   * before the due day); null once the due day has passed.
   */
  readonly payoffOnDueDayMinor: bigint | null;
}

export function loanStatement(loan: Loan, now: string, policy: LendingPolicy): LoanStatement {
  if (loan.dueAt === null) throw new RangeError(`loan ${loan.loanId} is not disbursed: it has no statement`);
  const caughtUp = catchUpAccrual(loan, now, policy).loan;
  const late = daysPastDue(loan.dueAt, loan.closedAt ?? now);
  const dueDay = dueDayOf(loan);
  let payoffOnDueDayMinor: bigint | null = null;
  if (caughtUp.status === 'ACTIVE' && epochDayOf(businessDayOf(now)) <= epochDayOf(dueDay)) {
    const lastDay: BusinessDay = minDay(addDays(dueDay, -1), lastAccruableDayOf(loan, policy));
    const days = Math.max(0, epochDayOf(lastDay) - epochDayOf(caughtUp.lastAccruedDay!));
    const projected = interestOverDays(
      caughtUp.interestCarryTenThousandths,
      caughtUp.principalOutstandingMinor,
      caughtUp.dailyRateBps,
      days,
    );
    payoffOnDueDayMinor = amountOwedOf(caughtUp) + projected.interestMinor;
  }
  return {
    loanId: loan.loanId,
    dueAt: loan.dueAt,
    daysPastDue: late,
    bucket: delinquencyBucketOf(late),
    interestUnpostedMinor: caughtUp.interestAccruedMinor - loan.interestAccruedMinor,
    payoffTodayMinor: amountOwedOf(caughtUp),
    payoffOnDueDayMinor,
  };
}

const minDay = (first: BusinessDay, second: BusinessDay): BusinessDay =>
  epochDayOf(second) < epochDayOf(first) ? second : first;
