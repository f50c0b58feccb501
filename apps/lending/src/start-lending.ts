import { INestMicroservice } from '@nestjs/common';
import { PrometheusConsumerMetrics, startBatchMicroservice } from '@lendstream/messaging';
import { createMetricsRegistry, JsonLogger } from '@lendstream/platform';
import type { LendingOptions } from './lending-config';
import { LendingModule } from './lending.module';

export const LENDING_SERVICE_NAME = 'lending';

export interface LendingHandle {
  readonly app: INestMicroservice;
  /** Drains the batch in flight, stops the review and the relay, then closes Kafka and Postgres. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots lending in this process and starts consuming treasury's answers, the orders and the
 * drawdown requests: for main.ts, and for the demo and benchmarks that run it in-process.
 * Resolves once the consumer has joined its group.
 */
export async function startLending(
  options: LendingOptions,
  { handleSignals = false }: { handleSignals?: boolean } = {},
): Promise<LendingHandle> {
  // One registry per app: the transport counts into it, `/metrics` serves it.
  const registry = createMetricsRegistry(LENDING_SERVICE_NAME);
  return startBatchMicroservice(
    LendingModule.forRoot(options, registry),
    {
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      groupId: options.groupId,
      serviceName: LENDING_SERVICE_NAME,
      topicNamespace: options.topicNamespace,
      maxBatchSize: options.batchSize,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      retry: options.retry,
      metrics: new PrometheusConsumerMetrics(registry),
    },
    {
      logLevels: options.logLevels,
      logger: new JsonLogger({ service: LENDING_SERVICE_NAME, levels: options.logLevels || undefined }),
      handleSignals,
    },
  );
}
