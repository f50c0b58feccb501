import { INestMicroservice } from '@nestjs/common';
import { PrometheusConsumerMetrics, startBatchMicroservice } from '@lendstream/messaging';
import { createMetricsRegistry, JsonLogger } from '@lendstream/platform';
import { UNDERWRITER_DEFAULTS, type UnderwriterOptions } from './underwriter-config';
import { UnderwriterModule } from './underwriter.module';

export const UNDERWRITER_SERVICE_NAME = 'underwriter';

export interface UnderwriterHandle {
  readonly app: INestMicroservice;
  /** Drains the batch in flight, stops the sweep and the relay, then closes Kafka, Postgres and Redis. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots the underwriter in this process and starts consuming profile signals: for main.ts, and
 * for the demo and benchmarks that run it in-process. Resolves once the consumer has joined.
 */
export async function startUnderwriter(
  options: UnderwriterOptions,
  { handleSignals = false }: { handleSignals?: boolean } = {},
): Promise<UnderwriterHandle> {
  // One registry per app: the transport counts into it, `/metrics` serves it.
  const registry = createMetricsRegistry(UNDERWRITER_SERVICE_NAME);
  return startBatchMicroservice(
    UnderwriterModule.forRoot(options, registry),
    {
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      groupId: options.groupId,
      serviceName: UNDERWRITER_SERVICE_NAME,
      topicNamespace: options.topicNamespace,
      maxBatchSize: options.batchSize,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      groupMembers: options.groupMembers ?? UNDERWRITER_DEFAULTS.groupMembers,
      retry: options.retry,
      metrics: new PrometheusConsumerMetrics(registry),
    },
    {
      logLevels: options.logLevels,
      logger: new JsonLogger({ service: UNDERWRITER_SERVICE_NAME, levels: options.logLevels || undefined }),
      handleSignals,
    },
  );
}
