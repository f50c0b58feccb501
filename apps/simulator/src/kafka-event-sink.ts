import { Kafka, logLevel, Message, Partitioners, Producer } from 'kafkajs';
import { EventSink, MAX_BATCH_SIZE, OutgoingMessage } from './event-sink';

export interface KafkaEventSinkOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
}

/** kafkajs's own retries of one produce request (about ten seconds in all with its backoff). */
const PRODUCE_RETRIES = 5;
/** Retries of the first connection (about three seconds): a wrong address fails fast. */
const CONNECT_RETRIES = 3;
const CONNECTION_TIMEOUT_MS = 3_000;
/** Acknowledged by all in-sync replicas. */
const ACKS_ALL = -1;

/**
 * Publishes to Kafka with kafkajs, built the way every Lendstream producer is: idempotent,
 * one request in flight (what kafkajs requires for idempotence, and what keeps a retry from
 * reordering a merchant's events), acks from all in-sync replicas, the Java-compatible
 * murmur2 partitioner (a merchant lands on the partition the platform's own producers would
 * pick), and never creating topics. Retries are finite so that a dead broker ends the run
 * with an error instead of hanging it; a batch written twice after a failed retry is
 * harmless, since consumers deduplicate on the event id. (kafkajs warns that finite retries
 * weaken its exactly-once guarantee; that is the trade made here, on purpose.)
 */
export class KafkaEventSink implements EventSink {
  private constructor(private readonly producer: Producer) {}

  static async connect(options: KafkaEventSinkOptions): Promise<KafkaEventSink> {
    const kafka = new Kafka({
      clientId: options.clientId ?? 'lendstream-simulator',
      brokers: [...options.brokers],
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      // The final error reaches the caller with its cause; kafkajs's per-retry logs would only be noise.
      logLevel: logLevel.NOTHING,
      retry: { retries: CONNECT_RETRIES },
    });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: PRODUCE_RETRIES },
    });
    await producer.connect();
    return new KafkaEventSink(producer);
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    if (batch.length > MAX_BATCH_SIZE) {
      throw new RangeError(`a batch holds at most ${MAX_BATCH_SIZE} messages, got ${batch.length}`);
    }
    if (batch.length === 0) return;
    // One request for the whole batch; within each topic the messages keep their order.
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value, headers } of batch) {
      let messages = byTopic.get(topic);
      if (messages === undefined) byTopic.set(topic, (messages = []));
      messages.push({ key, value, headers: { ...headers } });
    }
    await this.producer.sendBatch({
      acks: ACKS_ALL,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}
