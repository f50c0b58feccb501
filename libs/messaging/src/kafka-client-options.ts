import { z } from 'zod';
import { createConsoleLogger, KafkaLogLevel, MessagingLogger } from './logger';
import { brokerList, identifier, kafkaLogLevel, parseOptions, wholeNumber } from './options-validation';

/** How to reach the cluster; shared by the producer and the batch transport. */
export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Where the plumbing logs; a JSON-lines logger on stderr at `warn` by default. */
  readonly logger?: MessagingLogger;
  /** How much of kafkajs's own logging reaches `logger`; `error` by default. */
  readonly kafkaLogLevel?: KafkaLogLevel;
  /** TCP connect timeout per broker (default 3000 ms). */
  readonly connectionTimeoutMs?: number;
  /** Timeout of one request to a broker (default 30000 ms). */
  readonly requestTimeoutMs?: number;
}

export type ResolvedKafkaClientOptions = Required<KafkaClientOptions>;

export const kafkaClientShape = {
  brokers: brokerList,
  clientId: identifier(255),
  kafkaLogLevel: kafkaLogLevel.default('error'),
  connectionTimeoutMs: wholeNumber(100, 60_000).default(3_000),
  requestTimeoutMs: wholeNumber(1_000, 120_000).default(30_000),
};

const kafkaClientSchema = z.object(kafkaClientShape);

export function resolveKafkaClientOptions(options: KafkaClientOptions): ResolvedKafkaClientOptions {
  const parsed = parseOptions(kafkaClientSchema, options, 'Kafka client');
  return { ...parsed, logger: options.logger ?? createConsoleLogger('warn') };
}
