import { daysPastDue } from './delinquency';
import { dueAtOf, Loan } from './loan';

/**
 * A merchant's (or a line's) lending as the underwriter needs it: the same shape as the credit
 * library's LendingPosition, so the underwriter can freeze a line with OVERDUE_LOAN and compute
 * available = limit − outstanding − reserved from lending's own state.
 */
export interface LoanBookPosition {
  /** Σ outstanding principal of active loans. */
  readonly outstandingMinor: bigint;
  /** Σ principal of loans awaiting disbursement. */
  readonly reservedMinor: bigint;
  /**
   * An active loan past its due day, or a written-off one: a merchant that defaulted gets no
   * new money automatically (recoveries and a manual decision are for operations).
   */
  readonly hasOverdueLoan: boolean;
}

export function lendingPositionOf(loans: readonly Loan[], now: string): LoanBookPosition {
  let outstandingMinor = 0n;
  let reservedMinor = 0n;
  let hasOverdueLoan = false;
  for (const loan of loans) {
    if (loan.status === 'PENDING_DISBURSEMENT') reservedMinor += loan.principalMinor;
    if (loan.status === 'ACTIVE') {
      outstandingMinor += loan.principalOutstandingMinor;
      if (daysPastDue(dueAtOf(loan), now) > 0) hasOverdueLoan = true;
    }
    if (loan.status === 'WRITTEN_OFF') hasOverdueLoan = true;
  }
  return { outstandingMinor, reservedMinor, hasOverdueLoan };
}
