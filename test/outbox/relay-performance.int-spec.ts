/**
 * Quick measurements of the relay on the local stack, printed for the record, with loose
 * floors so that a regression by an order of magnitude fails:
 * - throughput: rows per second draining a backlog of 20,000 rows over 100 keys, with one
 *   relay and with three;
 * - latency: from the start of an outbox transaction (insert, commit) to Kafka's
 *   acknowledgement of its row (insert→Kafka), and to a consumer's receipt, at a steady 200
 *   transactions per second.
 */
import { performance } from 'node:perf_hooks';
import { Topics } from '@lendstream/contracts';
import type { Consumer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { KafkaEventProducer } from '../../libs/messaging/src/adapters/kafka-event-producer';
import type { OutboxRelay } from '../../libs/messaging/src/adapters/outbox-relay';
import { enqueueOutbox } from '../../libs/messaging/src/adapters/outbox-writer';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import {
  commitEvents,
  connectedProducer,
  createRelay,
  creditLineAdjusted,
  waitForEmptyBacklog,
} from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(180_000);

const BACKLOG_ROWS = 20_000;
const KEYS = 100;
const LATENCY_EVENTS = 1_000;
const COMMITS_PER_SECOND = 200;

describe('outbox relay performance (real Postgres and Kafka)', () => {
  let database: OutboxTestDatabase;
  let kit: KafkaTestKit;
  let dataSource: DataSource;
  let producer: KafkaEventProducer;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = await OutboxTestDatabase.create('performance');
    kit = await KafkaTestKit.create('outbox-performance', [Topics.creditLines], { partitions: 6 });
    dataSource = await database.connect('outbox-performance', 10);
    producer = await connectedProducer(kit, 'relays');
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await producer?.disconnect();
    await kit?.cleanup();
    await database?.cleanup();
  });

  async function fillBacklog(): Promise<void> {
    for (let start = 0; start < BACKLOG_ROWS; start += 1_000) {
      const events = Array.from({ length: 1_000 }, (_, index) =>
        creditLineAdjusted(`m-${(start + index) % KEYS}`, start + index),
      );
      await dataSource.transaction((manager) => enqueueOutbox(manager, events));
    }
  }

  async function drain(relayCount: number): Promise<number> {
    await fillBacklog();
    const started = performance.now();
    const running = await Promise.all(
      Array.from({ length: relayCount }, async (_, index) => {
        const relay = createRelay(await database.connect(`relay-${relayCount}-${index}`, 3), producer, {
          relayName: `relay-${relayCount}-${index}`,
        });
        relays.push(relay);
        await relay.start();
        return relay;
      }),
    );
    await waitForEmptyBacklog(running[0]!, running, 120_000);
    const rowsPerSecond = BACKLOG_ROWS / ((performance.now() - started) / 1_000);
    await Promise.all(running.map((relay) => relay.stop()));
    return rowsPerSecond;
  }

  it('drains a backlog at thousands of rows per second', async () => {
    const oneRelay = await drain(1);
    const threeRelays = await drain(3);
    report(`throughput: 1 relay ${Math.round(oneRelay)} rows/s, 3 relays ${Math.round(threeRelays)} rows/s`);
    // Measured 4,000–7,500 rows/s; the floor is an order of magnitude below, as the other
    // suites run beside this one on a shared 2-core machine.
    expect(oneRelay).toBeGreaterThan(400);
    expect(threeRelays).toBeGreaterThan(400);
  });

  it('publishes a row within milliseconds of its insert (insert→Kafka ack, and to a consumer)', async () => {
    const insertedAt = new Map<string, number>();
    const ackedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const consumer = await startConsumer(kit, receivedAt);
    const relay = createRelay(dataSource, producer, {
      // Production timings: NOTIFY wakes the relay; the poll is only a fallback.
      pollIntervalMs: 250,
      afterPublishBeforeMark: (rows) => {
        const now = performance.now();
        for (const row of rows) ackedAt.set(row.eventId, now);
      },
    });
    relays.push(relay);
    try {
      await relay.start();
      const started = performance.now();
      for (let sequence = 0; sequence < LATENCY_EVENTS; sequence += 1) {
        const dueAt = started + (sequence * 1_000) / COMMITS_PER_SECOND;
        const wait = dueAt - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const event = creditLineAdjusted(`m-${sequence % KEYS}`, sequence);
        // From just before the insert: the latency includes the transaction's own commit.
        insertedAt.set(event.id, performance.now());
        await commitEvents(dataSource, [event]);
      }
      await waitForEmptyBacklog(relay);
      await waitUntil('the consumer to receive every event', () => receivedAt.size >= LATENCY_EVENTS, 30_000);
    } finally {
      await consumer.disconnect();
    }
    const toAck = latencies(insertedAt, ackedAt);
    const toConsumer = latencies(insertedAt, receivedAt);
    report(
      `latency at ${COMMITS_PER_SECOND} commits/s: insert→Kafka ack p50 ${toAck.p50.toFixed(1)} ms, p99 ${toAck.p99.toFixed(1)} ms; ` +
        `insert→consumer p50 ${toConsumer.p50.toFixed(1)} ms, p99 ${toConsumer.p99.toFixed(1)} ms`,
    );
    // A relay that waited for its poll (250 ms) instead of the notification would sit near
    // 125 ms at the median before publishing at all; measured ≈ 50 ms. Loose bounds: CI runs
    // other suites beside this one.
    expect(toAck.p50).toBeLessThan(110);
    expect(toAck.p99).toBeLessThan(1_500);
  });
});

async function startConsumer(kit: KafkaTestKit, receivedAt: Map<string, number>): Promise<Consumer> {
  const consumer = kit.kafka.consumer({ groupId: kit.groupId('latency'), maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [kit.topic(Topics.creditLines)], fromBeginning: false });
  let assigned!: () => void;
  const ready = new Promise<void>((resolve) => (assigned = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => assigned());
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = (JSON.parse(message.value!.toString()) as { id: string }).id;
      if (!receivedAt.has(id)) receivedAt.set(id, performance.now());
    },
  });
  await ready;
  return consumer;
}

function latencies(
  from: ReadonlyMap<string, number>,
  to: ReadonlyMap<string, number>,
): { p50: number; p99: number } {
  const samples = [...from].map(([id, start]) => to.get(id)! - start).sort((a, b) => a - b);
  expect(samples.every((sample) => Number.isFinite(sample))).toBe(true);
  const at = (quantile: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(quantile * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

function report(line: string): void {
  process.stdout.write(`[outbox relay] ${line}\n`);
}
