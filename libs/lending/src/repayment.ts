import { err, ok, Result } from '@lendstream/contracts';
import { catchUpAccrual } from './accrual';
import { formatMinor } from './integer-math';
import { LendingEvent, loanEvent, RepaymentSource } from './lending-events';
import { LendingPolicy } from './lending-policy';
import { amountOwedOf, dueAtOf, Loan } from './loan';
import { postable, repaymentEntry } from './loan-journal';
import { LoanOutcome, loanOutcome } from './loan-outcome';
import { illegalTransition, RepaymentRefusal, refuse } from './refusal';
import { allocateRepayment, LoanDue } from './repayment-allocation';

export interface RepaymentCommand {
  /** Unique per repayment; the id of `repayment.collected`. */
  readonly repaymentId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly source: RepaymentSource;
  /** The settlement a holdback comes from; null for a manual repayment. */
  readonly settlementId: string | null;
  /** Business time the money was collected. */
  readonly collectedAt: string;
}

/** A loan's dues for the allocation (the loan must be disbursed). */
export function loanDueOf(loan: Loan): LoanDue {
  return {
    loanId: loan.loanId,
    dueAt: dueAtOf(loan),
    interestDueMinor: loan.interestOutstandingMinor,
    principalDueMinor: loan.principalOutstandingMinor,
  };
}

/**
 * A repayment of one loan. Interest is first brought up to date (every ended day), then the
 * amount pays interest before principal. More than the loan owes is refused, not capped: the
 * payer learns the exact amount owed and nothing has to be refunded. A loan that owes nothing
 * afterwards is REPAID (`loan.repaid`), and the principal repaid returns to the line.
 */
export function repayLoan(
  loan: Loan,
  command: RepaymentCommand,
  policy: LendingPolicy,
): Result<LoanOutcome, RepaymentRefusal> {
  const refusal = illegalTransition(loan, 'repay');
  if (refusal !== null) return err(refusal);
  if (command.currency !== loan.currency)
    return refuse(
      'CURRENCY_MISMATCH',
      `the repayment is in ${command.currency} but loan ${loan.loanId} is in ${loan.currency}; pay in ${loan.currency}`,
    );
  if (command.amountMinor <= 0n)
    return refuse('AMOUNT_NOT_POSITIVE', `a repayment must be more than 0, got ${command.amountMinor}`);
  const caughtUp = catchUpAccrual(loan, command.collectedAt, policy);
  const current = caughtUp.loan;
  const { allocations, unappliedMinor } = allocateRepayment(command.amountMinor, [loanDueOf(current)]);
  if (unappliedMinor > 0n)
    return refuse(
      'AMOUNT_EXCEEDS_DUE',
      `loan ${loan.loanId} owes ${formatMinor(amountOwedOf(current), loan.currency)} (interest ${current.interestOutstandingMinor}, principal ${current.principalOutstandingMinor}); repay at most that`,
    );
  const { interestMinor, principalMinor } = allocations[0]!;
  const paidDown = {
    ...current,
    interestOutstandingMinor: current.interestOutstandingMinor - interestMinor,
    interestRepaidMinor: current.interestRepaidMinor + interestMinor,
    principalOutstandingMinor: current.principalOutstandingMinor - principalMinor,
    principalRepaidMinor: current.principalRepaidMinor + principalMinor,
  };
  const repaid = amountOwedOf(paidDown) === 0n;
  const next: Loan = repaid ? { ...paidDown, status: 'REPAID', closedAt: command.collectedAt } : paidDown;
  const events: LendingEvent[] = [
    {
      type: 'repayment.collected',
      data: {
        merchantId: loan.merchantId,
        repaymentId: command.repaymentId,
        loanId: loan.loanId,
        amountMinor: command.amountMinor,
        principalMinor,
        interestMinor,
        currency: loan.currency,
        source: command.source,
        ...(command.settlementId === null ? {} : { settlementId: command.settlementId }),
      },
    },
  ];
  if (repaid) events.push(loanEvent('loan.repaid', next, command.collectedAt));
  return ok(
    loanOutcome(
      next,
      [
        ...caughtUp.journal,
        ...postable([
          repaymentEntry(next, {
            repaymentId: command.repaymentId,
            source: command.source,
            settlementId: command.settlementId,
            interestMinor,
            principalMinor,
            collectedAt: command.collectedAt,
          }),
        ]),
      ],
      events,
      { creditLineId: loan.creditLineId, reservedDeltaMinor: 0n, outstandingDeltaMinor: -principalMinor },
    ),
  );
}
