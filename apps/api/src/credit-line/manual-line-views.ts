import { z } from 'zod';
import type { ManualLineOutcome, ManualUnfreezeError } from '@lendstream/credit';
import { ApiErrorCode, ErrorBody, errorBody } from '@lendstream/platform';
import { LineStateViewSchema } from '../merchants/credit-view-schemas';
import { LineStateView, lineStateView } from '../merchants/credit-views';

/** What a freeze or unfreeze that applied answers. */
export interface ManualLineView {
  readonly merchantId: string;
  /** The decision it stored (in the merchant's decision history, trigger kind `manual`). */
  readonly decisionId: string;
  /** The scf.credit-lines.v1 event it emitted; null when the line did not move (frozen already). */
  readonly event: string | null;
  readonly line: LineStateView;
}

export const ManualLineViewSchema: z.ZodType<ManualLineView> = z.object({
  merchantId: z.string(),
  decisionId: z.string(),
  event: z
    .string()
    .nullable()
    .describe('credit-line.frozen, credit-line.unfrozen or credit-line.adjusted; null when nothing moved'),
  line: LineStateViewSchema,
});

export function manualLineView(outcome: Extract<ManualLineOutcome, { kind: 'applied' }>): ManualLineView {
  return {
    merchantId: outcome.after.merchantId,
    decisionId: outcome.decisionId,
    event: outcome.event,
    line: lineStateView(outcome.after),
  };
}

/** A command the credit core refused, as the API answers it (stored with the key, like any response). */
export function refusalResponse(
  merchantId: string,
  reason: ManualUnfreezeError,
  status: string | undefined,
): { readonly status: number; readonly body: ErrorBody } {
  switch (reason) {
    case 'CREDIT_LINE.NOT_FOUND':
      return {
        status: 404,
        body: errorBody('CREDIT_LINE_NOT_FOUND', `merchant ${merchantId} has no credit line`),
      };
    case 'CREDIT_LINE.CLOSED':
      return {
        status: 409,
        body: errorBody(
          'CREDIT_LINE_CLOSED',
          `the credit line of ${merchantId} is closed: there is nothing to freeze or unfreeze`,
        ),
      };
    case 'CREDIT_LINE.NOT_MANUALLY_FROZEN':
      return {
        status: 409,
        body: errorBody(
          'CREDIT_LINE_NOT_MANUALLY_FROZEN',
          `the credit line of ${merchantId} is ${status ?? 'not frozen'} but not frozen by operations: only a manual freeze can be lifted (an automatic freeze lifts when the policy sees the merchant recover)`,
        ),
      };
    default:
      return { status: 422, body: errorBody(ApiErrorCode.UNPROCESSABLE, `refused: ${String(reason)}`) };
  }
}
