import type { EntityManager } from 'typeorm';
import { LendingPolicy } from '../lending-policy';
import { Loan } from '../loan';
import { RepaymentRefusal } from '../refusal';
import { repayLoan } from '../repayment';
import { RepaymentRequest } from '../request-fields';
import { LoanNotFound, RepaymentKeyReused } from './adapter-refusals';
import { businessInstant } from './business-instant';
import { lendingIds } from './deterministic-uuid';
import { lockLendingLine } from './lending-line';
import { findLoan, lockLoans } from './loan-store';
import { findRepayment, RepaymentRecord } from './repayment-records';
import { assertInTransaction } from './transaction';
import { writeLoanOutcomes } from './write-loan-outcomes';

export interface ManualRepaymentInput {
  readonly loanId: string;
  /**
   * The request's idempotency key, with its scope when keys are scoped (the REST route's
   * `<scope>|<Idempotency-Key>`: two callers may pick the same key): the repayment id is
   * derived from (loan, key), so a retry pays once.
   */
  readonly idempotencyKey: string;
  readonly request: RepaymentRequest;
  /** Business time the money arrived (the API's clock). */
  readonly collectedAt: string;
}

export type ManualRepaymentResult =
  /** Paid: interest first, then principal; the loan may now be REPAID (`loan.repaid`). */
  | { readonly kind: 'repaid'; readonly loan: Loan; readonly repayment: RepaymentRecord }
  /** This key already paid this loan the same amount: no second effect (the loan as it is now). */
  | { readonly kind: 'replayed'; readonly loan: Loan; readonly repayment: RepaymentRecord }
  /**
   * Nothing was written. LOAN_NOT_FOUND is a 404; REPAYMENT_KEY_REUSED a 409; the pure core's
   * refusals (ILLEGAL_TRANSITION, CURRENCY_MISMATCH, AMOUNT_NOT_POSITIVE, AMOUNT_EXCEEDS_DUE, whose
   * message says exactly what is owed) a 422.
   */
  | {
      readonly kind: 'refused';
      readonly refusal: RepaymentRefusal | LoanNotFound | RepaymentKeyReused;
    };

/**
 * `POST /v1/loans/{loanId}/repayments`, inside the caller's transaction (the API's idempotent
 * write): the loan's line and the loan locked (line first), interest brought up to date, then
 * repayLoan (more than is owed is refused, not capped), one `repayments` row, the
 * REPAYMENT_MANUAL entry, `repayment.collected` (and `loan.repaid`), the principal back on the line.
 */
export async function repayManually(
  manager: EntityManager,
  input: ManualRepaymentInput,
  policy: LendingPolicy,
): Promise<ManualRepaymentResult> {
  assertInTransaction(manager, 'repayManually');
  const collectedAt = businessInstant('collectedAt', input.collectedAt);
  if (input.idempotencyKey.length === 0 || input.idempotencyKey.length > 255)
    throw new RangeError('repayManually: the idempotency key must be 1-255 characters');
  const found = await findLoan(manager, input.loanId);
  if (found === null)
    return {
      kind: 'refused',
      refusal: { code: 'LOAN_NOT_FOUND', message: `no loan has id ${JSON.stringify(input.loanId)}` },
    };
  await lockLendingLine(manager, found.loan.merchantId);
  const [loan] = await lockLoans(manager, [found.loan.loanId]);
  if (loan === undefined) throw new Error(`loan ${found.loan.loanId} vanished while it was being locked`);

  const repaymentId = lendingIds.manualRepayment(loan.loanId, input.idempotencyKey);
  const earlier = await findRepayment(manager, repaymentId);
  if (earlier !== null) {
    if (earlier.amountMinor === input.request.amountMinor && earlier.currency === input.request.currency)
      return { kind: 'replayed', loan, repayment: earlier };
    return {
      kind: 'refused',
      refusal: {
        code: 'REPAYMENT_KEY_REUSED',
        repaymentId,
        message: `this idempotency key already repaid ${earlier.amountMinor} minor ${earlier.currency} of loan ${loan.loanId}; a new repayment needs a new key`,
      },
    };
  }

  const repaid = repayLoan(
    loan,
    {
      repaymentId,
      amountMinor: input.request.amountMinor,
      currency: input.request.currency,
      source: 'MANUAL',
      settlementId: null,
      collectedAt,
    },
    policy,
  );
  if (!repaid.ok) return { kind: 'refused', refusal: repaid.error };
  await writeLoanOutcomes(manager, [repaid.value], collectedAt);
  const repayment = await findRepayment(manager, repaymentId);
  if (repayment === null) throw new Error(`repayment ${repaymentId} was not written`);
  return { kind: 'repaid', loan: repaid.value.loan, repayment };
}
