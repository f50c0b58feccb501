import { CLOUDEVENTS_CONTENT_TYPE } from '@lendstream/contracts';

/** One Kafka record to publish: the physical topic, the merchant as key, the encoded CloudEvent. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Where the simulator publishes. Deliberately tiny, so that the kafkajs sink here can be
 * swapped for the shared `KafkaEventProducer` of `@lendstream/messaging` without touching
 * the simulator: a resolved `publish` means the whole batch is durably written, in order.
 */
export interface EventSink {
  publish(batch: readonly OutgoingMessage[]): Promise<void>;
}

/** Structured-mode CloudEvents, as CONTRACT.md requires on every message. */
export const CLOUDEVENT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': CLOUDEVENTS_CONTENT_TYPE,
});

/** The most messages one `publish` may carry. */
export const MAX_BATCH_SIZE = 500;
