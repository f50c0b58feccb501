import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import { KafkaBatchTransport } from '@lendstream/messaging';
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
  const transport = new KafkaBatchTransport({
    brokers: options.kafkaBrokers,
    clientId: options.clientId,
    groupId: options.groupId,
    serviceName: UNDERWRITER_SERVICE_NAME,
    topicNamespace: options.topicNamespace,
    maxBatchSize: options.batchSize,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    retry: options.retry,
  });
  const app = await NestFactory.createMicroservice(UnderwriterModule.forRoot(options), {
    strategy: transport,
    logger:
      options.logLevels === undefined
        ? undefined
        : options.logLevels === false
          ? false
          : [...options.logLevels],
  });
  // process.exit(0) once closed, rather than Nest's default of re-raising the signal: a clean stop exits 0.
  if (handleSignals) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  try {
    await app.listen();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { app, close: () => (closing ??= app.close()) };
}
