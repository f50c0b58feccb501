import type { EntityManager } from 'typeorm';
import { drawDown } from '../draw-down';
import { LendingPolicy } from '../lending-policy';
import { Loan } from '../loan';
import { DrawdownRefusal } from '../refusal';
import { DrawdownRequest } from '../request-fields';
import { RequestIdReused } from './adapter-refusals';
import { businessInstant } from './business-instant';
import { lendingIds } from './deterministic-uuid';
import { lockLendingLine } from './lending-line';
import { findLoanByRequest, openLoanCountOf } from './loan-store';
import { assertInTransaction } from './transaction';
import { writeLoanOutcomes } from './write-loan-outcomes';

export interface DrawdownInput {
  readonly merchantId: string;
  /**
   * The drawdown's idempotency key, unique per merchant forever: the `requestId` of
   * `drawdown.requested`, or what the REST route derives from its Idempotency-Key (with the
   * key's scope, since two callers may pick the same key; at most 255 characters). The loan and
   * disbursement ids are derived from it, so a retry makes the same loan.
   */
  readonly requestId: string;
  readonly request: DrawdownRequest;
  /** Business time of the request (the event's time, or the API's clock). */
  readonly requestedAt: string;
}

export type DrawdownResult =
  /** A new loan awaiting disbursement; `disbursement.requested` is in the outbox. */
  | { readonly kind: 'created'; readonly loan: Loan }
  /** The requestId already made this loan for the same request: no second effect (the loan as it is now). */
  | { readonly kind: 'replayed'; readonly loan: Loan }
  /** A business rule refused it (REST: a 422 with the code; Kafka: a dead letter). Nothing was written. */
  | { readonly kind: 'refused'; readonly refusal: DrawdownRefusal }
  /** The requestId already made a loan for another request (REST: a 409). Nothing was written. */
  | { readonly kind: 'conflict'; readonly refusal: RequestIdReused };

/** The request a loan was made for, as stored with it: a replay must ask for exactly this. */
export const requestFingerprintOf = (request: DrawdownRequest): string =>
  `amountMinor=${request.amountMinor};currency=${request.currency};termDays=${request.termDays}`;

/** Longest requestId stored (the API's Idempotency-Key is at most 255 characters). */
export const REQUEST_ID_MAX_LENGTH = 255;

/**
 * A drawdown, inside the caller's transaction:
 *
 * 1. the merchant's credit line, locked FOR UPDATE: concurrent drawdowns on one line run one
 *    after the other, each seeing what the previous reserved, so together they can never
 *    exceed what was available;
 * 2. the request looked up (after the lock, so a concurrent duplicate sees the first's loan):
 *    the same request again is `replayed` with no second effect, another request under the same
 *    requestId a `conflict`;
 * 3. the pure drawDown (every check of assessDrawdown), then the loan, its DRAWDOWN_RESERVED
 *    entry, the principal reserved on the line and `disbursement.requested` in the outbox.
 */
export async function requestDrawdown(
  manager: EntityManager,
  input: DrawdownInput,
  policy: LendingPolicy,
): Promise<DrawdownResult> {
  assertInTransaction(manager, 'requestDrawdown');
  assertDrawdownInput(input);
  const requestedAt = businessInstant('requestedAt', input.requestedAt);
  const line = await lockLendingLine(manager, input.merchantId);
  const fingerprint = requestFingerprintOf(input.request);
  const existing = await findLoanByRequest(manager, input.merchantId, input.requestId);
  if (existing !== null) {
    if (existing.requestFingerprint === fingerprint) return { kind: 'replayed', loan: existing.loan };
    return {
      kind: 'conflict',
      refusal: {
        code: 'REQUEST_ID_REUSED',
        loanId: existing.loan.loanId,
        message: `requestId ${JSON.stringify(input.requestId)} already made loan ${existing.loan.loanId} for ${existing.requestFingerprint}; a new drawdown needs a new requestId`,
      },
    };
  }
  const outcome = drawDown(
    {
      merchantId: input.merchantId,
      loanId: lendingIds.loan(input.merchantId, input.requestId),
      disbursementId: lendingIds.disbursement(input.merchantId, input.requestId),
      line: line?.view ?? null,
      openLoanCount: line === null ? 0 : await openLoanCountOf(manager, input.merchantId),
      request: input.request,
      requestedAt,
    },
    policy,
  );
  if (!outcome.ok) return { kind: 'refused', refusal: outcome.error };
  await writeLoanOutcomes(
    manager,
    [outcome.value],
    requestedAt,
    new Map([[outcome.value.loan.loanId, { requestId: input.requestId, requestFingerprint: fingerprint }]]),
  );
  return { kind: 'created', loan: outcome.value.loan };
}

function assertDrawdownInput(input: DrawdownInput): void {
  if (typeof input.merchantId !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(input.merchantId))
    throw new RangeError(
      `requestDrawdown: merchantId ${JSON.stringify(input.merchantId)} is not a merchant id`,
    );
  if (
    typeof input.requestId !== 'string' ||
    input.requestId.length === 0 ||
    input.requestId.length > REQUEST_ID_MAX_LENGTH
  )
    throw new RangeError(
      `requestDrawdown: requestId must be 1-${REQUEST_ID_MAX_LENGTH} characters, got ${JSON.stringify(input.requestId)}`,
    );
}
