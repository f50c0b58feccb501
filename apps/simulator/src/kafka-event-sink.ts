import { KafkaEventProducer, OutboundMessage } from '@lendstream/messaging';
import { EventSink, MAX_BATCH_SIZE, OutgoingMessage } from './event-sink';

export interface KafkaEventSinkOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
}

/**
 * Publishes through the project's shared idempotent producer (`@lendstream/messaging`), so
 * the simulator's records are written exactly as every Lendstream producer writes them
 * (acks from all in-sync replicas, the Java-compatible partitioner, no topic creation).
 * The simulator already names physical (namespaced) topics, so the producer adds none.
 */
export class KafkaEventSink implements EventSink {
  private constructor(private readonly producer: KafkaEventProducer) {}

  static async connect(options: KafkaEventSinkOptions): Promise<KafkaEventSink> {
    const producer = new KafkaEventProducer({
      brokers: options.brokers,
      clientId: options.clientId ?? 'lendstream-simulator',
    });
    await producer.connect();
    return new KafkaEventSink(producer);
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    if (batch.length > MAX_BATCH_SIZE) {
      throw new RangeError(`a batch holds at most ${MAX_BATCH_SIZE} messages, got ${batch.length}`);
    }
    // Within each topic the messages keep their order (hence per merchant).
    const byTopic = new Map<string, OutboundMessage[]>();
    for (const { topic, key, value, headers } of batch) {
      let messages = byTopic.get(topic);
      if (messages === undefined) byTopic.set(topic, (messages = []));
      messages.push({ key, value, headers });
    }
    // One topic after the other: a failure then leaves no request of this batch in flight.
    for (const [topic, messages] of byTopic) await this.producer.publish(topic, messages);
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}
