import { z } from 'zod';
import { KafkaClientOptions, kafkaClientShape } from './kafka-client-options';
import { createConsoleLogger } from './logger';
import { parseOptions, topicNamespace, wholeNumber } from './options-validation';

export const EVENT_PRODUCER_DEFAULTS = {
  maxMessagesPerRequest: 500,
  /** Under the broker's default `message.max.bytes` (1 MiB), with room for the request's framing. */
  maxRequestBytes: 900 * 1024,
} as const;

export interface KafkaEventProducerOptions extends KafkaClientOptions {
  /** Prefix of every topic published to (`<namespace>.<topic>`); none by default. */
  readonly topicNamespace?: string;
  /** A publish of more messages is split into requests of at most this many, sent in order (default 500). */
  readonly maxMessagesPerRequest?: number;
  /** ... and of at most this many bytes (default 900 KiB). */
  readonly maxRequestBytes?: number;
}

export interface ResolvedEventProducerOptions extends Required<
  Omit<KafkaEventProducerOptions, 'topicNamespace'>
> {
  readonly topicNamespace: string | undefined;
}

const eventProducerSchema = z.object({
  ...kafkaClientShape,
  topicNamespace: topicNamespace.optional(),
  maxMessagesPerRequest: wholeNumber(1, 10_000).default(EVENT_PRODUCER_DEFAULTS.maxMessagesPerRequest),
  maxRequestBytes: wholeNumber(1024, 64 * 1024 * 1024).default(EVENT_PRODUCER_DEFAULTS.maxRequestBytes),
});

export function resolveEventProducerOptions(
  options: KafkaEventProducerOptions,
): ResolvedEventProducerOptions {
  const parsed = parseOptions(eventProducerSchema, options, 'Kafka event producer');
  return {
    ...parsed,
    topicNamespace: parsed.topicNamespace,
    logger: options.logger ?? createConsoleLogger('warn'),
  };
}
