import type { AnyCloudEvent, ContractViolation } from '@lendstream/contracts';

/**
 * What a handler registered with `@EventPattern(topic)` on the Kafka batch transport
 * receives and returns. The transport has already decoded and validated every message
 * against the contract: handlers see only well-formed events, in partition order.
 */
export interface InboundMessage<E extends AnyCloudEvent = AnyCloudEvent> {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset, a decimal string (offsets are int64). */
  readonly offset: string;
  readonly key: string | null;
  readonly event: E;
}

/** A run of consecutive valid messages from one topic-partition, oldest first. */
export interface InboundBatch<E extends AnyCloudEvent = AnyCloudEvent> {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly InboundMessage<E>[];
}

/** A message the handler refuses on a business rule (say, a currency mismatch): it is dead-lettered. */
export interface RejectedMessage {
  readonly offset: string;
  readonly violation: ContractViolation;
}

/**
 * The handler's answer. Contract, so that nothing is lost and no partition stalls:
 * - resolve (optionally listing rejected offsets) when the batch's effects are durable;
 *   the transport then dead-letters the rejected ones and commits past the batch;
 * - throw only when a retry may help (Redis or Postgres unreachable): the transport
 *   retries the same batch with backoff and never commits past it or dead-letters it,
 *   so handlers must be idempotent (they are: inbox rows, profile positions).
 */
export interface BatchOutcome {
  readonly rejected?: readonly RejectedMessage[];
}

export type BatchHandler<E extends AnyCloudEvent = AnyCloudEvent> = (
  batch: InboundBatch<E>,
) => Promise<BatchOutcome | void>;
