import type { JournalEntryDraft } from '@lendstream/ledger';
import { err, ok, Result } from '@lendstream/contracts';
import { catchUpAccrual } from './accrual';
import { LineChange, mergeLineChanges } from './credit-line-view';
import { formatMinor, sumOf } from './integer-math';
import { LendingEvent } from './lending-events';
import { LendingPolicy } from './lending-policy';
import { amountOwedOf, Loan } from './loan';
import { Refusal } from './refusal';
import { loanDueOf, repayLoan } from './repayment';
import { allocateRepayment, holdbackFor } from './repayment-allocation';

export interface SettlementHoldbackCommand {
  readonly merchantId: string;
  /** Unique forever: one holdback per settlement. */
  readonly settlementId: string;
  readonly settledAmountMinor: bigint;
  readonly currency: string;
  /** Business time of the collection. */
  readonly collectedAt: string;
  /** The `repaymentId` of the holdback's repayment of one loan; the same inputs must give the same id. */
  readonly repaymentIdFor: (loanId: string) => string;
}

export interface HoldbackOutcome {
  /** What the settlement system withholds in total: Σ of the repayment.collected amounts. */
  readonly holdbackMinor: bigint;
  /** What the merchant owed across its active loans before the holdback. */
  readonly totalDueMinor: bigint;
  /** Every active loan of the merchant, as it is now (interest brought up to date, paid down, maybe REPAID). */
  readonly loans: readonly Loan[];
  readonly journal: readonly JournalEntryDraft[];
  readonly events: readonly LendingEvent[];
  /** At most one per credit line, none when nothing moved. */
  readonly lineChanges: readonly LineChange[];
}

/**
 * `order.settled`: withholds the policy's share of the settlement (rounded down, capped at what
 * the merchant owes across its active loans) and pays the loans with it, oldest due first,
 * interest before principal. Each loan paid gets its own `repayment.collected` (naming the
 * settlement) and REPAYMENT_HOLDBACK entry keyed `holdback:<settlementId>:<loanId>`. Loans that
 * are not active (awaiting disbursement, closed) are not due and are left alone.
 */
export function collectHoldback(
  loans: readonly Loan[],
  command: SettlementHoldbackCommand,
  policy: LendingPolicy,
): Result<HoldbackOutcome, Refusal<'CURRENCY_MISMATCH'>> {
  const stranger = loans.find((loan) => loan.merchantId !== command.merchantId);
  if (stranger !== undefined)
    throw new RangeError(`loan ${stranger.loanId} is not merchant ${command.merchantId}'s`);
  if (command.settledAmountMinor < 0n)
    throw new RangeError(`settlement ${command.settlementId} has a negative amount`);
  const active = loans.filter((loan) => loan.status === 'ACTIVE');
  const foreign = active.find((loan) => loan.currency !== command.currency);
  if (foreign !== undefined)
    return err({
      code: 'CURRENCY_MISMATCH',
      message: `settlement ${command.settlementId} is in ${command.currency} but loan ${foreign.loanId} is in ${foreign.currency}; a merchant settles and borrows in one currency`,
    });

  const caughtUp = active.map((loan) => catchUpAccrual(loan, command.collectedAt, policy));
  const totalDueMinor = sumOf(caughtUp.map((each) => amountOwedOf(each.loan)));
  const holdbackMinor = holdbackFor(command.settledAmountMinor, policy.holdbackShareBps, totalDueMinor);
  const { allocations, unappliedMinor } = allocateRepayment(
    holdbackMinor,
    caughtUp.map((each) => loanDueOf(each.loan)),
  );
  if (unappliedMinor !== 0n)
    throw new RangeError(`holdback ${formatMinor(holdbackMinor, command.currency)} exceeds what is owed`);

  const current = new Map(caughtUp.map((each) => [each.loan.loanId, each.loan]));
  const journal: JournalEntryDraft[] = caughtUp.flatMap((each) => [...each.journal]);
  const events: LendingEvent[] = [];
  const lineChanges: LineChange[] = [];
  for (const allocation of allocations) {
    const loan = current.get(allocation.loanId)!;
    const repaid = repayLoan(
      loan,
      {
        repaymentId: command.repaymentIdFor(loan.loanId),
        amountMinor: allocation.interestMinor + allocation.principalMinor,
        currency: command.currency,
        source: 'SETTLEMENT_HOLDBACK',
        settlementId: command.settlementId,
        collectedAt: command.collectedAt,
      },
      policy,
    );
    // The allocation never gives a loan more than it owes, and the loan is active and caught up.
    if (!repaid.ok)
      throw new RangeError(`holdback repayment of loan ${loan.loanId} refused: ${repaid.error.message}`);
    current.set(loan.loanId, repaid.value.loan);
    journal.push(...repaid.value.journal);
    events.push(...repaid.value.events);
    lineChanges.push(repaid.value.lineChange);
  }
  return ok({
    holdbackMinor,
    totalDueMinor,
    loans: [...current.values()],
    journal,
    events,
    lineChanges: mergeLineChanges(lineChanges),
  });
}
