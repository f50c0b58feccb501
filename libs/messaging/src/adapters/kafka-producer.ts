import { Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { chunkByCountAndBytes } from '../chunking';
import { estimateRecordBytes, MessageHeaders, OutboundMessage, PublishReceipt } from '../kafka-record';

/**
 * How every Lendstream producer is built: idempotent (the broker drops a retried duplicate,
 * so a retry never reorders or doubles a record), acknowledged by all in-sync replicas, one
 * request in flight (what kafkajs requires for idempotence), and never creating topics.
 *
 * The partitioner is the Java-compatible murmur2 one, so that a merchant's events land on
 * the same partition whether the platform's Java producers or we write them.
 *
 * kafkajs retries a failed request a few times itself; past that, `send` rejects and the
 * caller decides (the dead-letter publisher retries with backoff, the outbox relay later).
 * kafkajs warns that finite retries "may invalidate EoS guarantees": at worst a record is
 * written twice, which consumers absorb by deduplicating on the event id.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: PRODUCER_REQUEST_RETRIES },
  });
}

/** kafkajs's own retries of one produce request (about 10 s in all with its default backoff). */
export const PRODUCER_REQUEST_RETRIES = 5;

/** Every produce waits for all in-sync replicas. */
export const ACKS_ALL = -1;

export interface ProduceLimits {
  readonly maxMessagesPerRequest: number;
  readonly maxRequestBytes: number;
}

/**
 * Produces `messages` to `topic` in requests that the broker accepts, one after the other so
 * that order per key holds. If a later request fails, earlier ones stay written: the caller's
 * retry then writes them again (at-least-once; consumers deduplicate).
 */
export async function produceInOrder(
  producer: Producer,
  topic: string,
  messages: readonly OutboundMessage[],
  limits: ProduceLimits,
): Promise<PublishReceipt[]> {
  const receipts: PublishReceipt[] = [];
  const requests = chunkByCountAndBytes(messages, {
    maxCount: limits.maxMessagesPerRequest,
    maxBytes: limits.maxRequestBytes,
    sizeOf: estimateRecordBytes,
  });
  for (const request of requests) {
    const metadata = await producer.send({ topic, acks: ACKS_ALL, messages: request.map(toKafkaJsMessage) });
    receipts.push(...metadata.map(toReceipt));
  }
  return receipts;
}

export function toKafkaJsMessage(message: OutboundMessage): Message {
  return { key: message.key, value: message.value, headers: toKafkaJsHeaders(message.headers) };
}

function toKafkaJsHeaders(headers: MessageHeaders | undefined): Message['headers'] {
  if (headers === undefined) return undefined;
  const copy: NonNullable<Message['headers']> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    copy[name] = Array.isArray(value)
      ? [...(value as readonly (Buffer | string)[])]
      : (value as Buffer | string);
  }
  return copy;
}

function toReceipt(metadata: RecordMetadata): PublishReceipt {
  return {
    topic: metadata.topicName,
    partition: metadata.partition,
    baseOffset: metadata.baseOffset ?? '-1',
  };
}
