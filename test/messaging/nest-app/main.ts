/**
 * A minimal Nest microservice on the Kafka batch transport, run as a child process by
 * nest-transport.int-spec.ts (Jest cannot load Nest 12's ES modules in-process on Node 20;
 * plain Node can). It is what an app looks like:
 *
 * - `@EventPattern(Topics.<name>)` handlers receive an InboundBatch and return a BatchOutcome;
 * - the shared KafkaEventProducer is injected from MessagingModule;
 * - SIGTERM closes the app: the transport drains, then the producer disconnects.
 *
 * Reports what it does on stdout as lines starting with REPORT_PREFIX, for the test to read.
 */
import 'reflect-metadata';
import { Controller, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { createEvent, DeadLetterReason, Topics } from '@lendstream/contracts';
import {
  BatchOutcome,
  createConsoleLogger,
  InboundBatch,
  KafkaBatchTransport,
  KafkaEventProducer,
  MessagingModule,
} from '@lendstream/messaging';

export const REPORT_PREFIX = '@@report ';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const namespace = process.env.TEST_TOPIC_NAMESPACE!;
const groupId = process.env.TEST_GROUP_ID!;
let failuresLeft = Number(process.env.TEST_FAIL_FIRST_ATTEMPTS ?? '0');

const report = (entry: Record<string, unknown>): void => {
  process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(entry)}\n`);
};

@Controller()
class TestEventsController {
  constructor(private readonly producer: KafkaEventProducer) {}

  @EventPattern(Topics.orders)
  async onOrders(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    const offsets = batch.messages.map((message) => message.offset);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      report({ kind: 'failed', topic: batch.topic, offsets });
      throw new Error('simulated outage');
    }
    const rejected = batch.messages
      .filter((message) => message.event.type === 'order.paid' && message.event.data.currency !== 'CNY')
      .map((message) => ({
        offset: message.offset,
        violation: {
          reason: DeadLetterReason.CURRENCY_MISMATCH,
          field: 'data.currency',
          message: 'merchant trades in CNY',
        },
      }));
    const merchants = [...new Set(batch.messages.map((message) => message.event.subject))];
    await this.producer.publishEvents(
      merchants.map((merchantId) =>
        createEvent({
          type: 'profile.changed',
          id: `pc-${merchantId}-${offsets.at(-1)}`,
          source: '/lendstream/test-app',
          time: '2026-11-11T00:00:00Z',
          data: { merchantId, asOf: '2026-11-11T00:00:00Z' },
        }),
      ),
    );
    report({ kind: 'handled', topic: batch.topic, partition: batch.partition, offsets });
    return { rejected };
  }

  @EventPattern(Topics.warehouse)
  async onWarehouse(@Payload() batch: InboundBatch): Promise<void> {
    report({
      kind: 'handled',
      topic: batch.topic,
      partition: batch.partition,
      offsets: batch.messages.map((message) => message.offset),
    });
  }
}

/** Nest runs shutdown hooks after it closed the transport: this line proves the drain finished first. */
@Injectable()
class ShutdownReporter implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    report({ kind: 'shut-down' });
  }
}

@Module({
  providers: [ShutdownReporter],
  imports: [
    MessagingModule.forRoot({
      brokers,
      clientId: `${groupId}-producer`,
      topicNamespace: namespace,
      logger: createConsoleLogger('warn'),
    }),
  ],
  controllers: [TestEventsController],
})
class TestAppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice(TestAppModule, {
    strategy: new KafkaBatchTransport({
      brokers,
      clientId: groupId,
      groupId,
      serviceName: 'nest-test-app',
      topicNamespace: namespace,
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      maxFetchWaitMs: 100,
      commitIntervalMs: 0,
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
    }),
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen();
  report({ kind: 'listening' });
}

main().catch((error: unknown) => {
  report({ kind: 'boot-failed', error: String(error) });
  process.exit(1);
});
