import { instantMs } from './business-day';
import { minOf, shareFloor } from './integer-math';

/**
 * The holdback taken from a settlement: the policy's share of the settled amount, rounded
 * down (never more than the share), and never more than the merchant owes in total.
 */
export function holdbackFor(settledAmountMinor: bigint, shareBps: number, totalDueMinor: bigint): bigint {
  if (totalDueMinor < 0n) throw new RangeError(`total due must not be negative: ${totalDueMinor}`);
  return minOf(shareFloor(settledAmountMinor, shareBps), totalDueMinor);
}

/** What one loan owes, as the allocation sees it. */
export interface LoanDue {
  readonly loanId: string;
  readonly dueAt: string;
  readonly interestDueMinor: bigint;
  readonly principalDueMinor: bigint;
}

export interface LoanAllocation {
  readonly loanId: string;
  readonly interestMinor: bigint;
  readonly principalMinor: bigint;
}

export interface RepaymentAllocation {
  /** One per loan that receives something, in the order paid. */
  readonly allocations: readonly LoanAllocation[];
  /** What was left after every loan was paid in full (0 unless the amount exceeds everything owed). */
  readonly unappliedMinor: bigint;
}

/** Oldest due first; loans due at the same instant by loanId (code-unit order, not locale). */
export function compareByDueDate(first: LoanDue, second: LoanDue): number {
  const byDue = instantMs('dueAt', first.dueAt) - instantMs('dueAt', second.dueAt);
  if (byDue !== 0) return byDue;
  return first.loanId < second.loanId ? -1 : first.loanId > second.loanId ? 1 : 0;
}

/**
 * Spreads an amount over a merchant's loans: the loan due first is paid first, its interest
 * before its principal, and only once it owes nothing does the next loan get anything.
 * Interest first, because unpaid interest earns nothing while principal keeps accruing it: the
 * merchant's money stops the most interest that way, and the lender's income is realised first.
 */
export function allocateRepayment(amountMinor: bigint, dues: readonly LoanDue[]): RepaymentAllocation {
  if (amountMinor < 0n) throw new RangeError(`a repayment must not be negative: ${amountMinor}`);
  if (new Set(dues.map((due) => due.loanId)).size !== dues.length)
    throw new RangeError('a loan appears twice in a repayment allocation');
  const negative = dues.find((due) => due.interestDueMinor < 0n || due.principalDueMinor < 0n);
  if (negative !== undefined) throw new RangeError(`loan ${negative.loanId} owes a negative amount`);
  let remainingMinor = amountMinor;
  const allocations: LoanAllocation[] = [];
  for (const due of [...dues].sort(compareByDueDate)) {
    if (remainingMinor === 0n) break;
    const interestMinor = minOf(remainingMinor, due.interestDueMinor);
    const principalMinor = minOf(remainingMinor - interestMinor, due.principalDueMinor);
    remainingMinor -= interestMinor + principalMinor;
    if (interestMinor + principalMinor > 0n)
      allocations.push({ loanId: due.loanId, interestMinor, principalMinor });
  }
  return { allocations, unappliedMinor: remainingMinor };
}
