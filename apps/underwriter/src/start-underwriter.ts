import { INestMicroservice } from '@nestjs/common';
import { startBatchMicroservice } from '@lendstream/messaging';
import type { UnderwriterOptions } from './underwriter-config';
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
  return startBatchMicroservice(
    UnderwriterModule.forRoot(options),
    {
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      groupId: options.groupId,
      serviceName: UNDERWRITER_SERVICE_NAME,
      topicNamespace: options.topicNamespace,
      maxBatchSize: options.batchSize,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      retry: options.retry,
    },
    { logLevels: options.logLevels, handleSignals },
  );
}
