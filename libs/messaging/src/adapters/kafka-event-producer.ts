import { CloudEvent, namespacedTopic, TopicName } from '@lendstream/contracts';
import { Producer } from 'kafkajs';
import {
  KafkaEventProducerOptions,
  ResolvedEventProducerOptions,
  resolveEventProducerOptions,
} from '../event-producer-options';
import type { OutboundMessage, PublishReceipt } from '../kafka-record';
import { groupEventsByTopic } from '../outbound-events';
import { createKafkaClient } from './kafka-client';
import { createIdempotentProducer, produceInOrder } from './kafka-producer';

/**
 * The shared producer of an app: one idempotent kafkajs producer (see createIdempotentProducer)
 * behind two calls. A resolved call means every record is on all in-sync replicas; a rejected
 * one means some may be and some may not, so the caller publishes again (duplicates are
 * deduplicated downstream by event id).
 */
export class KafkaEventProducer {
  private readonly options: ResolvedEventProducerOptions;
  private readonly producer: Producer;

  constructor(options: KafkaEventProducerOptions) {
    this.options = resolveEventProducerOptions(options);
    this.producer = createIdempotentProducer(createKafkaClient(this.options));
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /**
   * Publishes records to a topic, in order. `topic` is the contract name; the producer adds
   * the deployment's namespace, if any.
   */
  publish(topic: string, messages: readonly OutboundMessage[]): Promise<PublishReceipt[]> {
    if (messages.length === 0) return Promise.resolve([]);
    return produceInOrder(this.producer, this.physicalTopic(topic), messages, this.options);
  }

  /**
   * Publishes contract events, each on its type's topic, keyed by its subject (the merchant),
   * as structured-mode CloudEvents. Order is kept per topic (hence per merchant).
   */
  async publishEvents(events: readonly CloudEvent[]): Promise<PublishReceipt[]> {
    const receipts: PublishReceipt[] = [];
    for (const [topic, messages] of groupEventsByTopic(events)) {
      receipts.push(...(await this.publish(topic, messages)));
    }
    return receipts;
  }

  private physicalTopic(topic: string): string {
    return namespacedTopic(topic as TopicName, this.options.topicNamespace);
  }
}
