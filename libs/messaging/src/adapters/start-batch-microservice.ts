import type { DynamicModule, INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KafkaBatchTransportOptions } from '../batch-transport-options';
import { KafkaBatchTransport } from './kafka-batch-transport';

export interface BatchMicroserviceOptions {
  /** Nest's log levels; false silences Nest; undefined keeps Nest's default. */
  readonly logLevels?: readonly LogLevel[] | false;
  /** The app's logger (a structured one); `logLevels: false` still silences Nest. */
  readonly logger?: LoggerService;
  /** Close cleanly on SIGTERM/SIGINT and exit 0 (main.ts); off for in-process use. */
  readonly handleSignals?: boolean;
}

export interface BatchMicroservice {
  readonly app: INestMicroservice;
  /** Drains the batch in flight, then closes everything the module opened. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots a Nest app on the Kafka batch transport and starts consuming; resolves once the
 * consumer has joined its group. Every consuming service starts this way, from main.ts or
 * in-process (tests, the demo, benchmarks).
 */
export async function startBatchMicroservice(
  module: DynamicModule,
  transportOptions: KafkaBatchTransportOptions,
  { logLevels, logger, handleSignals = false }: BatchMicroserviceOptions = {},
): Promise<BatchMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    strategy: new KafkaBatchTransport(transportOptions),
    logger: logLevels === false ? false : (logger ?? (logLevels === undefined ? undefined : [...logLevels])),
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
