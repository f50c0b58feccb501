import type { EventData } from '@lendstream/contracts';
import { daysPastDue } from './delinquency';
import { Loan } from './loan';

/** The output events lending produces (CONTRACT.md), each with its `data`; the adapter wraps them in CloudEvents. */
export type LendingEventType =
  | 'disbursement.requested'
  | 'loan.activated'
  | 'loan.overdue'
  | 'loan.repaid'
  | 'loan.written-off'
  | 'repayment.collected';

export type LendingEvent = {
  [T in LendingEventType]: { readonly type: T; readonly data: EventData<T> };
}[LendingEventType];

export type LoanEventType = 'loan.activated' | 'loan.overdue' | 'loan.repaid' | 'loan.written-off';

export type RepaymentSource = 'SETTLEMENT_HOLDBACK' | 'MANUAL';

/**
 * The `scf.loans.v1` data of a disbursed loan as of `now` (amounts bigint; the codec writes them
 * as strings). `accruedInterestMinor` is the interest posted and not yet paid. For
 * `loan.written-off` the two outstanding figures are what was written off: the merchant still
 * owes it, the books no longer count it.
 */
export function loanEventData(loan: Loan, now: string): EventData<LoanEventType> {
  if (loan.dueAt === null) throw new RangeError(`loan ${loan.loanId} is not disbursed: it has no loan event`);
  const writtenOff = loan.status === 'WRITTEN_OFF';
  return {
    merchantId: loan.merchantId,
    loanId: loan.loanId,
    principalMinor: loan.principalMinor,
    outstandingPrincipalMinor: writtenOff ? loan.principalWrittenOffMinor : loan.principalOutstandingMinor,
    accruedInterestMinor: writtenOff ? loan.interestWrittenOffMinor : loan.interestOutstandingMinor,
    currency: loan.currency,
    dueAt: loan.dueAt,
    daysPastDue: daysPastDue(loan.dueAt, now),
  };
}

export const loanEvent = (type: LoanEventType, loan: Loan, now: string): LendingEvent => ({
  type,
  data: loanEventData(loan, now),
});
