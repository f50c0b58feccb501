/**
 * The outbox's rows as the pure core sees them: what a contract event becomes when it is
 * written (checked against the contract first), and what a pending row becomes when the
 * relay publishes it.
 */
import {
  CLOUDEVENTS_CONTENT_TYPE,
  CloudEvent,
  decodeEvent,
  encodeEvent,
  MAX_EVENT_BYTES,
  topicOf,
  TopicName,
} from '@lendstream/contracts';
import type { OutboundMessage } from './kafka-record';
import { CONTENT_TYPE_HEADER } from './outbound-events';

/** A row to insert: one event, with everything the relay needs to publish it without the event's types. */
export interface OutboxEntry {
  /** The CloudEvents id; the outbox column is a uuid, and consumers deduplicate on it. */
  readonly eventId: string;
  /** The contract topic (the relay's producer adds the deployment's namespace). */
  readonly topic: TopicName;
  /** The Kafka key: the event's subject, the merchant. */
  readonly messageKey: string;
  /** The encoded event, structured-mode JSON. */
  readonly payload: string;
  readonly headers: Readonly<Record<string, string>>;
}

export class InvalidOutboxEventError extends Error {
  constructor(
    readonly eventId: string,
    readonly problem: string,
  ) {
    super(
      `OUTBOX.INVALID_EVENT: event ${JSON.stringify(eventId)} cannot be written to the outbox: ${problem}`,
    );
    this.name = 'InvalidOutboxEventError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The row of an event. Throws InvalidOutboxEventError when the event breaks the contract: an
 * output event is checked just before it is written, because once committed it WILL be
 * published, and a consumer would dead-letter it. Throwing inside the caller's transaction
 * rolls the state change back with it (a broken invariant is loud, never swallowed).
 */
export function outboxEntryFromEvent(event: CloudEvent): OutboxEntry {
  if (!UUID.test(event.id)) throw new InvalidOutboxEventError(event.id, 'its id is not a UUID');
  const topic = topicOf(event.type);
  const payload = encodeEvent(event);
  const decoded = decodeEvent({ topic, key: event.subject, value: payload }, { maxBytes: MAX_EVENT_BYTES });
  if (!decoded.ok) throw new InvalidOutboxEventError(event.id, decoded.error.message);
  return {
    eventId: event.id,
    topic,
    messageKey: event.subject,
    payload,
    headers: { [CONTENT_TYPE_HEADER]: CLOUDEVENTS_CONTENT_TYPE },
  };
}

/** A pending row as the relay reads it. */
export interface PendingOutboxRow {
  /** The row's bigserial id, a decimal string (int8 does not fit a JS number forever). */
  readonly id: string;
  readonly eventId: string;
  readonly topic: string;
  readonly messageKey: string;
  /** The payload's JSON text exactly as stored, so every re-publish sends the same bytes. */
  readonly payload: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Publish attempts before this one. */
  readonly attempts: number;
}

export function outboxRowToMessage(row: PendingOutboxRow): OutboundMessage {
  return { key: row.messageKey, value: row.payload, headers: row.headers };
}

/** Rows of one topic, oldest first. */
export interface OutboxTopicBatch {
  readonly topic: string;
  readonly rows: readonly PendingOutboxRow[];
}

/**
 * Claimed rows split by topic, each topic's rows in id order, topics in the order their first
 * row appears. Order per key only matters within a topic (a Kafka log), so publishing topic by
 * topic keeps it. Asserts the claim's order: rows out of id order would be published out of
 * order, so that is a bug to stop on, not to paper over.
 */
export function groupOutboxRowsByTopic(rows: readonly PendingOutboxRow[]): OutboxTopicBatch[] {
  const byTopic = new Map<string, PendingOutboxRow[]>();
  let previousId: bigint | undefined;
  for (const row of rows) {
    const id = BigInt(row.id);
    if (previousId !== undefined && id <= previousId) {
      throw new Error(`Outbox rows must come in ascending id order; ${row.id} follows ${previousId}`);
    }
    previousId = id;
    const batch = byTopic.get(row.topic) ?? [];
    batch.push(row);
    byTopic.set(row.topic, batch);
  }
  return [...byTopic].map(([topic, topicRows]) => ({ topic, rows: topicRows }));
}

/**
 * What the relay publishes through: KafkaEventProducer fits (`topic` is the contract topic; the
 * producer adds its topic namespace). Resolving means every message is on all in-sync replicas.
 */
export interface OutboxPublisher {
  publish(topic: string, messages: readonly OutboundMessage[]): Promise<unknown>;
}
