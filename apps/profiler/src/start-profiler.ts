import { INestMicroservice } from '@nestjs/common';
import { PrometheusConsumerMetrics, startBatchMicroservice } from '@lendstream/messaging';
import { createMetricsRegistry, JsonLogger } from '@lendstream/platform';
import { RedisProfileStore } from '@lendstream/profile';
import { PROFILER_DEFAULTS, type ProfilerOptions } from './profiler-config';
import { ProfilerModule } from './profiler.module';

export const PROFILER_SERVICE_NAME = 'profiler';

/** A whole fetch may take every partition of a consumer's share (six, by default) at the per-partition limit. */
const fetchLimits = (bytesPerPartition: number) => ({
  maxBytesPerPartition: bytesPerPartition,
  maxBytesPerFetch: Math.min(256 * 1024 * 1024, Math.max(10 * 1024 * 1024, bytesPerPartition * 8)),
});

export interface ProfilerHandle {
  readonly app: INestMicroservice;
  readonly store: RedisProfileStore;
  /** Drains the batch in flight, then closes Kafka and Redis. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots the profiler in this process and starts consuming: for main.ts, and for tests, the
 * demo and benchmarks that run it in-process. Resolves once the consumer has joined.
 */
export async function startProfiler(
  options: ProfilerOptions,
  { handleSignals = false }: { handleSignals?: boolean } = {},
): Promise<ProfilerHandle> {
  // One registry per app: the transport counts into it, `/metrics` serves it.
  const registry = createMetricsRegistry(PROFILER_SERVICE_NAME);
  const service = await startBatchMicroservice(
    ProfilerModule.forRoot(options, registry),
    {
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      groupId: options.groupId,
      serviceName: PROFILER_SERVICE_NAME,
      topicNamespace: options.topicNamespace,
      maxBatchSize: options.batchSize,
      ...fetchLimits(options.fetchBytesPerPartition ?? PROFILER_DEFAULTS.fetchBytesPerPartition),
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      groupMembers: options.groupMembers ?? PROFILER_DEFAULTS.groupMembers,
      retry: options.retry,
      metrics: new PrometheusConsumerMetrics(registry),
    },
    {
      logLevels: options.logLevels,
      logger: new JsonLogger({ service: PROFILER_SERVICE_NAME, levels: options.logLevels || undefined }),
      handleSignals,
    },
  );
  return { app: service.app, store: service.app.get(RedisProfileStore), close: service.close };
}
