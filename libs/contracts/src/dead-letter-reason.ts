/**
 * Stable codes for why an input was dead-lettered (the `dlq-reason` header on `scf.dlq.v1`).
 * Operators filter and alert on these, so a code is never renamed; new ones may be added.
 */
export const DeadLetterReason = {
  /** The value is larger than the contract's limit (64 KiB). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The value is empty, not UTF-8 JSON, or nested beyond what a parser can take. */
  NOT_JSON: 'NOT_JSON',
  /** JSON, but not a CloudEvents 1.0 structured event (missing or mistyped attributes). */
  NOT_CLOUDEVENT: 'NOT_CLOUDEVENT',
  /** A CloudEvent whose `type` the contract does not know. */
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  /** A known type, published on a topic that does not carry it. */
  WRONG_TOPIC: 'WRONG_TOPIC',
  /** `data` misses a field or has one of the wrong type or format. */
  SCHEMA_VIOLATION: 'SCHEMA_VIOLATION',
  /** A money amount that is negative, fractional, not a number, exponent-formatted or too large. */
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  /** `subject` is not `data.merchantId`. */
  SUBJECT_MISMATCH: 'SUBJECT_MISMATCH',
  /** The Kafka key is not `data.merchantId`, so the event may sit on the wrong partition. */
  KEY_MISMATCH: 'KEY_MISMATCH',
  /** Business rule: the amount's currency is not the merchant's (one merchant, one currency). */
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  /** Business rule (lending): a drawdown.requested the line cannot lend (the message starts with the refusal code, e.g. AMOUNT_EXCEEDS_AVAILABLE). */
  DRAWDOWN_REFUSED: 'DRAWDOWN_REFUSED',
  /** Business rule (lending): a requestId already made a loan for a different amount, currency or term. */
  REQUEST_ID_REUSED: 'REQUEST_ID_REUSED',
  /** Business rule (lending): treasury names a disbursementId that no loan of this merchant has. */
  UNKNOWN_DISBURSEMENT: 'UNKNOWN_DISBURSEMENT',
  /** Business rule (lending): treasury reports an outcome that contradicts the one it already reported (settled after failed, failed after settled, another treasuryRef). */
  DISBURSEMENT_OUTCOME_CONFLICT: 'DISBURSEMENT_OUTCOME_CONFLICT',
  /** Business rule (lending): an order.settled reuses a settlementId already held back for another merchant, amount or currency. */
  SETTLEMENT_ID_REUSED: 'SETTLEMENT_ID_REUSED',
  /**
   * The service cannot act on a valid event without breaking one of its own invariants (an
   * impossible state, such as a merchant's profile in another currency than its credit line, or
   * a bug): deterministic, so retrying would stall the partition for ever. The merchant is left
   * as it was; the message says which invariant.
   */
  BROKEN_INVARIANT: 'BROKEN_INVARIANT',
} as const;

export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

const KNOWN_REASONS: ReadonlySet<string> = new Set(Object.values(DeadLetterReason));

/** Whether `value` is a `dlq-reason` the contract defines (a stored or handed-back code is checked before use). */
export const isDeadLetterReason = (value: unknown): value is DeadLetterReason =>
  typeof value === 'string' && KNOWN_REASONS.has(value);

/** Why an input cannot be processed: a stable reason, the offending field if any, and a message. */
export interface ContractViolation {
  readonly reason: DeadLetterReason;
  /** Dotted path of the offending field, e.g. `data.amountMinor`; absent for whole-message faults. */
  readonly field?: string;
  readonly message: string;
}

/** The Kafka headers CONTRACT.md puts on every dead letter. */
export const DeadLetterHeaders = {
  reason: 'dlq-reason',
  error: 'dlq-error',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  service: 'dlq-service',
  at: 'dlq-at',
} as const;
