import { z } from 'zod';
import { formatAmountMinor } from '@lendstream/contracts';
import {
  applyLineChange,
  type DrawdownResult,
  type LendingLine,
  type Loan,
  LOAN_STATUSES,
  type LoanStatus,
} from '@lendstream/lending';
import { errorBody, type IdempotentResponse } from '@lendstream/platform';
import { Digits, Instant } from './loan-view-schemas';

/**
 * What `POST /v1/merchants/{merchantId}/drawdowns` answers for each result of the lending
 * core's requestDrawdown, and what its audit entry records. Pure.
 */

/** A drawdown that made (or had already made) a loan: CONTRACT.md's `{loanId, disbursementId, status}` and more. */
export interface DrawdownView {
  readonly loanId: string;
  readonly disbursementId: string;
  /** PENDING_DISBURSEMENT until treasury answers (the loan as it is now, for a drawdown made before). */
  readonly status: LoanStatus;
  readonly merchantId: string;
  readonly creditLineId: string;
  readonly principalMinor: string;
  readonly currency: string;
  readonly termDays: number;
  readonly dailyRateBps: number;
  readonly requestedAt: string;
}

export const DrawdownViewSchema: z.ZodType<DrawdownView> = z.object({
  loanId: z.string(),
  disbursementId: z.string().describe('Treasury pays this disbursement once (scf.disbursements.v1)'),
  status: z.enum(LOAN_STATUSES),
  merchantId: z.string(),
  creditLineId: z.string(),
  principalMinor: Digits,
  currency: z.string(),
  termDays: z.number().int(),
  dailyRateBps: z.number().int().describe("The line's daily rate now, fixed for the loan's life"),
  requestedAt: Instant.describe("Business time of the drawdown: the API's clock"),
});

export const drawdownView = (loan: Loan): DrawdownView => ({
  loanId: loan.loanId,
  disbursementId: loan.disbursementId,
  status: loan.status,
  merchantId: loan.merchantId,
  creditLineId: loan.creditLineId,
  principalMinor: formatAmountMinor(loan.principalMinor),
  currency: loan.currency,
  termDays: loan.termDays,
  dailyRateBps: loan.dailyRateBps,
  requestedAt: loan.requestedAt,
});

/**
 * `created` and `replayed` (the requestId already made this very loan, e.g. through
 * scf.drawdown-requests.v1) are a 201 with the loan; a business refusal a 422 with the lending
 * core's code (NO_CREDIT_LINE, LINE_NOT_ACTIVE, CURRENCY_MISMATCH, AMOUNT_EXCEEDS_AVAILABLE…);
 * a requestId that already made another loan a 409 REQUEST_ID_REUSED.
 */
export function drawdownResponse(result: DrawdownResult): IdempotentResponse {
  switch (result.kind) {
    case 'created':
    case 'replayed':
      return { status: 201, body: drawdownView(result.loan) };
    case 'refused':
      return { status: 422, body: errorBody(result.refusal.code, result.refusal.message) };
    case 'conflict':
      return { status: 409, body: errorBody(result.refusal.code, result.refusal.message) };
  }
}

/** The line as the audit log keeps it (before and after a drawdown), money as strings; null: no line. */
export interface LineAuditState {
  readonly creditLineId: string;
  readonly status: string;
  readonly currency: string;
  readonly limitMinor: string;
  readonly availableMinor: string;
  readonly reservedMinor: string;
  readonly outstandingMinor: string;
}

export const lineAuditState = (line: LendingLine | null): LineAuditState | null =>
  line === null
    ? null
    : {
        creditLineId: line.position.creditLineId,
        status: line.position.status,
        currency: line.view.currency,
        limitMinor: formatAmountMinor(line.position.limitMinor),
        availableMinor: formatAmountMinor(line.view.availableMinor),
        reservedMinor: formatAmountMinor(line.position.reservedMinor),
        outstandingMinor: formatAmountMinor(line.position.outstandingMinor),
      };

/**
 * The line as a drawdown left it, from the line it locked and the loan it made: a drawdown moves
 * the line by `reserved + principal` and nothing else (docs/lending.md, "The line"), computed
 * with the lending core's own arithmetic (applyLineChange). Saves re-reading the row the
 * transaction holds locked, one round trip on the hottest write.
 */
export function lineAfterDrawdown(before: LendingLine, loan: Loan): LineAuditState {
  const after = applyLineChange(before.position, {
    creditLineId: before.position.creditLineId,
    reservedDeltaMinor: loan.principalMinor,
    outstandingDeltaMinor: 0n,
  });
  return {
    creditLineId: after.creditLineId,
    status: after.status,
    currency: before.view.currency,
    limitMinor: formatAmountMinor(after.limitMinor),
    availableMinor: formatAmountMinor(after.availableMinor),
    reservedMinor: formatAmountMinor(after.reservedMinor),
    outstandingMinor: formatAmountMinor(after.outstandingMinor),
  };
}
