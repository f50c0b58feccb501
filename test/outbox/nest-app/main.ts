/**
 * A minimal Nest app that emits events the way the underwriter and lending apps do, run as a
 * child process by outbox-relay-module.int-spec.ts (Jest cannot load Nest 12's ES modules
 * in-process on Node 20; plain Node can):
 *
 * - TypeOrmModule gives the DataSource, MessagingModule the shared producer (and the topic
 *   namespace), OutboxRelayModule the relay that publishes the outbox;
 * - a handler records the inbound event in the inbox, changes state and enqueues its output
 *   event, all in ONE transaction; the same signal delivered twice emits once;
 * - SIGTERM stops the relay before the producer and the DataSource close.
 *
 * Reports on stdout as lines starting with REPORT_PREFIX, for the test to read.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CloudEvent, createEvent } from '@lendstream/contracts';
import {
  createConsoleLogger,
  enqueueOutbox,
  MessagingModule,
  OutboxRelay,
  OutboxRelayModule,
  recordInbox,
} from '@lendstream/messaging';
import { dataSourceOptions } from '@lendstream/platform';

const REPORT_PREFIX = '@@report ';
const report = (entry: Record<string, unknown>): void => {
  process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(entry)}\n`);
};

const schema = process.env.OUTBOX_TEST_SCHEMA!;
const namespace = process.env.TEST_TOPIC_NAMESPACE!;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lendstream';

/** What an underwriter's handler does with a "profile changed" signal, cut to the outbox's part. */
@Injectable()
class SignalHandler {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** True if the signal had its effect now; false if it had been handled before. */
  handle(signal: CloudEvent<'profile.changed'>, output: CloudEvent): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await recordInbox(manager, 'underwriter', signal))) return false;
      // ... the decision and the credit line would be written here, with `manager` ...
      await enqueueOutbox(manager, [output]);
      return true;
    });
  }
}

/** Runs after every beforeApplicationShutdown hook, the relay's stop among them. */
@Injectable()
class ShutdownReporter implements OnApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}
  onApplicationShutdown(): void {
    report({ kind: 'shut-down', relay: this.relay.status().state });
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      ...dataSourceOptions({ databaseUrl, applicationName: 'outbox-nest-app', poolSize: 3 }),
      extra: { options: `-c search_path=${schema}` },
    }),
    MessagingModule.forRoot({
      brokers,
      clientId: `${namespace}-nest-app`,
      topicNamespace: namespace,
      logger: createConsoleLogger('warn'),
    }),
    OutboxRelayModule.forRoot({ relayName: 'nest-relay', pollIntervalMs: 50, rebalanceIntervalMs: 200 }),
  ],
  providers: [SignalHandler, ShutdownReporter],
})
class OutboxAppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(OutboxAppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const signal = createEvent({
    type: 'profile.changed',
    id: randomUUID(),
    source: '/lendstream/profiler',
    time: '2026-11-11T00:00:00Z',
    data: { merchantId: 'm-42', asOf: '2026-11-11T00:00:00Z' },
  });
  const output = createEvent({
    type: 'credit-line.frozen',
    id: randomUUID(),
    source: '/lendstream/underwriter',
    time: '2026-11-11T00:00:00Z',
    data: {
      merchantId: 'm-42',
      creditLineId: 'cl-42',
      status: 'FROZEN',
      limitMinor: 500_000n,
      availableMinor: 0n,
      outstandingMinor: 0n,
      currency: 'CNY',
      dailyRateBps: 5,
      grade: 'C',
      score: 410,
      reasons: [{ code: 'STOCKOUT_RATE_HIGH', message: '5 stock-outs in 30 days' }],
      policyVersion: 'v1',
      decisionId: 'd-42',
      profileAsOf: '2026-11-11T00:00:00Z',
      decidedAt: '2026-11-11T00:00:01Z',
    },
  });
  const handler = app.get(SignalHandler);
  const results = [await handler.handle(signal, output), await handler.handle(signal, output)];
  report({ kind: 'handled', results, outputId: output.id, relay: app.get(OutboxRelay).status().state });
}

main().catch((error: unknown) => {
  report({ kind: 'boot-failed', error: String(error) });
  process.exit(1);
});
