import { z } from 'zod';
import { formatAmountMinor } from '@lendstream/contracts';
import {
  type LendingPolicy,
  type Loan,
  loanStatement,
  type ManualRepaymentResult,
} from '@lendstream/lending';
import { errorBody, type IdempotentResponse } from '@lendstream/platform';
import { LoanItemViewSchema, RepaymentViewSchema } from './loan-view-schemas';
import { type LoanItemView, loanItemView, type RepaymentView, repaymentView } from './loan-views';

/**
 * What `POST /v1/loans/{loanId}/repayments` answers for each result of the lending core's
 * repayManually, and what its audit entry records. Pure.
 */

export interface RepaymentOutcomeView {
  /** How the money was applied: interest first, then principal. */
  readonly repayment: RepaymentView;
  /** The loan after it (REPAID once it owes nothing), with its statement as of now. */
  readonly loan: LoanItemView;
}

export const RepaymentOutcomeViewSchema: z.ZodType<RepaymentOutcomeView> = z.object({
  repayment: RepaymentViewSchema,
  loan: LoanItemViewSchema,
});

/** The loan with its statement as of `now` (no statement before disbursement). */
export const loanViewAsOf = (loan: Loan, now: string, policy: LendingPolicy): LoanItemView =>
  loanItemView({ loan, statement: loan.dueAt === null ? null : loanStatement(loan, now, policy) });

/**
 * `repaid` (and `replayed`: this key already paid this loan the same amount) is a 201; no such
 * loan a 404 LOAN_NOT_FOUND; a key that already paid another amount a 409
 * REPAYMENT_KEY_REUSED; the lending core's refusals a 422 with their code (AMOUNT_EXCEEDS_DUE,
 * whose message says what is owed; CURRENCY_MISMATCH; ILLEGAL_TRANSITION for a loan that is not
 * active; AMOUNT_NOT_POSITIVE).
 */
export function repaymentResponse(
  result: ManualRepaymentResult,
  now: string,
  policy: LendingPolicy,
): IdempotentResponse {
  switch (result.kind) {
    case 'repaid':
    case 'replayed':
      return {
        status: 201,
        body: {
          repayment: repaymentView(result.repayment),
          loan: loanViewAsOf(result.loan, now, policy),
        } satisfies RepaymentOutcomeView,
      };
    case 'refused': {
      const { code, message } = result.refusal;
      const status = code === 'LOAN_NOT_FOUND' ? 404 : code === 'REPAYMENT_KEY_REUSED' ? 409 : 422;
      return { status, body: errorBody(code, message) };
    }
  }
}

/** The loan as the audit log keeps it (before and after a repayment), money as strings. */
export interface LoanAuditState {
  readonly loanId: string;
  readonly status: string;
  readonly currency: string;
  readonly outstandingPrincipalMinor: string;
  readonly accruedInterestMinor: string;
  readonly principalRepaidMinor: string;
  readonly interestRepaidMinor: string;
}

export const loanAuditState = (loan: Loan): LoanAuditState => ({
  loanId: loan.loanId,
  status: loan.status,
  currency: loan.currency,
  outstandingPrincipalMinor: formatAmountMinor(loan.principalOutstandingMinor),
  accruedInterestMinor: formatAmountMinor(loan.interestOutstandingMinor),
  principalRepaidMinor: formatAmountMinor(loan.principalRepaidMinor),
  interestRepaidMinor: formatAmountMinor(loan.interestRepaidMinor),
});
