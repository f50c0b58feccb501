import { INestMicroservice } from '@nestjs/common';
import { startBatchMicroservice } from '@lendstream/messaging';
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
export function startLending(
  options: LendingOptions,
  { handleSignals = false }: { handleSignals?: boolean } = {},
): Promise<LendingHandle> {
  return startBatchMicroservice(
    LendingModule.forRoot(options),
    {
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      groupId: options.groupId,
      serviceName: LENDING_SERVICE_NAME,
      topicNamespace: options.topicNamespace,
      maxBatchSize: options.batchSize,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      retry: options.retry,
    },
    { logLevels: options.logLevels, handleSignals },
  );
}
