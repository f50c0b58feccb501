import { Refusal } from '../refusal';

/**
 * Refusals the adapters decide on (the pure core's are in refusal.ts): each has a stable code,
 * the REST API's `error.code` and, for Kafka inputs, the basis of the dead letter's `dlq-reason`
 * (lending-input.ts maps them).
 */

/** A requestId (per merchant, forever) that already made a loan for another amount, currency or term. */
export interface RequestIdReused extends Refusal<'REQUEST_ID_REUSED'> {
  /** The loan the first request made. */
  readonly loanId: string;
}

/** Treasury named a disbursementId no loan of this merchant has. */
export type UnknownDisbursement = Refusal<'UNKNOWN_DISBURSEMENT'>;

/**
 * Treasury reported an outcome that contradicts the one it reported before: settled after
 * failed, failed after settled, or settled again under another treasuryRef (money may have
 * left twice: a person must look).
 */
export interface DisbursementOutcomeConflict extends Refusal<'DISBURSEMENT_OUTCOME_CONFLICT'> {
  readonly loanId: string;
}

/** A settlementId already held back for another merchant, order, amount or currency. */
export type SettlementIdReused = Refusal<'SETTLEMENT_ID_REUSED'>;

/** No loan has this id (a manual repayment of a loan that does not exist: the REST API's 404). */
export type LoanNotFound = Refusal<'LOAN_NOT_FOUND'>;

/** A manual repayment's idempotency key already paid this loan another amount or currency. */
export interface RepaymentKeyReused extends Refusal<'REPAYMENT_KEY_REUSED'> {
  readonly repaymentId: string;
}
