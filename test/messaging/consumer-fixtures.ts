/**
 * Shared set-up of the messaging integration tests: a KafkaBatchConsumer on a test kit's
 * topics with short timeouts, events to feed it, and a logger that remembers.
 *
 * Imports the consumer from its file, not from `@lendstream/messaging`: the library's index
 * also exports the Nest transport, and Jest (in CommonJS mode on Node 20) cannot load Nest
 * 12's ES modules. The Nest transport is tested through a child process instead.
 */
import { createEvent, CloudEvent, TopicName } from '@lendstream/contracts';
import {
  BatchSubscription,
  KafkaBatchConsumer,
} from '../../libs/messaging/src/adapters/kafka-batch-consumer';
import {
  KafkaBatchTransportOptions,
  resolveBatchTransportOptions,
} from '../../libs/messaging/src/batch-transport-options';
import type { BatchHandler } from '../../libs/messaging/src/inbound';
import type { LogFields, MessagingLogger } from '../../libs/messaging/src/logger';
import { testEndpoints } from '../support/env';
import { KafkaTestKit } from '../support/kafka-helpers';

export interface LogLine {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly message: string;
  readonly fields?: LogFields;
}

export class RememberingLogger implements MessagingLogger {
  readonly lines: LogLine[] = [];
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }
  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }
}

/** Options for a consumer on `kit`'s topics: a short session and quick retries, so each test stays fast. */
export function testConsumerOptions(
  kit: KafkaTestKit,
  groupLabel: string,
  overrides: Partial<KafkaBatchTransportOptions> = {},
): KafkaBatchTransportOptions {
  return {
    brokers: [...testEndpoints.kafkaBrokers],
    clientId: `${kit.namespace}-${groupLabel}`,
    groupId: kit.groupId(groupLabel),
    serviceName: 'messaging-test',
    topicNamespace: kit.namespace,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxFetchWaitMs: 100,
    commitIntervalMs: 0,
    drainTimeoutMs: 10_000,
    retry: { initialDelayMs: 50, backoffFactor: 2, maxDelayMs: 200, jitterRatio: 0 },
    kafkaLogLevel: 'nothing',
    logger: new RememberingLogger(),
    ...overrides,
  };
}

/** Starts a consumer with one handler per topic; stop it in the test (or its afterEach). */
export async function startConsumer(
  options: KafkaBatchTransportOptions,
  handlers: Partial<Record<TopicName, BatchHandler>>,
): Promise<KafkaBatchConsumer> {
  const subscriptions: BatchSubscription[] = Object.entries(handlers).map(([topic, handler]) => ({
    topic: topic as TopicName,
    handler: handler!,
  }));
  const consumer = new KafkaBatchConsumer(resolveBatchTransportOptions(options), subscriptions);
  await consumer.start();
  return consumer;
}

/** An `order.paid` event numbered `sequence` for `merchantId`. */
export function orderPaid(sequence: number, merchantId = 'm-000001'): CloudEvent<'order.paid'> {
  return createEvent({
    type: 'order.paid',
    id: `e-${merchantId}-${sequence}`,
    source: '/platform/orders',
    time: new Date(Date.UTC(2026, 10, 11, 0, 0, sequence)).toISOString(),
    data: { merchantId, orderId: `o-${sequence}`, amountMinor: BigInt(100 + sequence), currency: 'CNY' },
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
