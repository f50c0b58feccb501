/**
 * The local stack works as the services need it: the broker serves the contract's topics
 * with the configured partitions, kafkajs 2.2.4 (whose protocol versions Kafka 4 kept, KIP-896)
 * can produce idempotently and consume, and the database carries the platform's migrations.
 * Runs against the real stack (`npm run stack -- up`); global-setup fails the run if it is down.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { ALL_TOPICS } from '@lendstream/contracts';
import {
  MIGRATIONS_TABLE,
  PLATFORM_MIGRATIONS,
  runMigrations,
  withPostgresConnection,
} from '@lendstream/platform';
import { testEndpoints } from './support/env';

const ROUND_TRIP_TIMEOUT_MS = 30_000;

const kafka = new Kafka({
  clientId: 'lendstream-stack-test',
  brokers: [...testEndpoints.kafkaBrokers],
  logLevel: logLevel.WARN,
  connectionTimeout: 3_000,
  // No client-wide `retry`: kafkajs passes it down to producers, and an idempotent producer
  // with limited retries may break its exactly-once sequence (kafkajs warns). The bound on
  // this file's waits is ROUND_TRIP_TIMEOUT_MS and jest's timeout.
});

describe('Kafka on the local stack', () => {
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('answers kafkajs admin requests', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
    expect(cluster.controller).not.toBeNull();
  });

  it('has every contract topic, with the configured partition count', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [...ALL_TOPICS] });
    const partitionsByTopic = Object.fromEntries(
      topics.map((topic) => [topic.name, topic.partitions.length]),
    );
    const expected = Object.fromEntries(ALL_TOPICS.map((topic) => [topic, testEndpoints.kafkaPartitions]));
    expect(partitionsByTopic).toEqual(expected);
  });

  describe('an idempotent producer and a consumer (kafkajs 2.2.4 against Kafka 4)', () => {
    // A topic of its own: test records never reach the services consuming the contract topics.
    const topic = `test.stack-round-trip.${randomUUID()}`;
    let producer: Producer;
    let consumer: Consumer;

    beforeAll(async () => {
      await admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      consumer = kafka.consumer({ groupId: `stack-test-${randomUUID()}` });
      await Promise.all([producer.connect(), consumer.connect()]);
    });

    afterAll(async () => {
      await Promise.allSettled([producer?.disconnect(), consumer?.disconnect()]);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    });

    it(
      'produces with acks=all and reads the same records back, in order per key',
      async () => {
        const sent = ['first', 'second', 'third'].map((value) => ({
          key: 'm-000042',
          value,
          headers: { 'content-type': 'text/plain' },
        }));
        await consumer.subscribe({ topic, fromBeginning: true });
        const received: Array<{ key: string; value: string; header: string; partition: number }> = [];
        const allReceived = new Promise<void>((resolve) => {
          void consumer.run({
            eachMessage: async ({ message, partition }) => {
              received.push({
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                header: message.headers?.['content-type']?.toString() ?? '',
                partition,
              });
              if (received.length === sent.length) resolve();
            },
          });
        });

        const [metadata] = await producer.send({ topic, acks: -1, messages: sent });
        expect(metadata?.errorCode).toBe(0);

        await withDeadline(
          allReceived,
          ROUND_TRIP_TIMEOUT_MS,
          'the consumer to read back what the producer sent',
        );
        expect(received.map(({ key, value, header }) => ({ key, value, header }))).toEqual(
          sent.map(({ key, value }) => ({ key, value, header: 'text/plain' })),
        );
        // One key, one partition: the ordering the whole design relies on.
        expect(new Set(received.map((record) => record.partition)).size).toBe(1);
      },
      ROUND_TRIP_TIMEOUT_MS + 10_000,
    );
  });
});

describe('PostgreSQL on the local stack', () => {
  it('has the platform tables', async () => {
    const tables = await withPostgresConnection(testEndpoints.databaseUrl, async (db) => {
      const rows: Array<{ table_name: string }> = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
        [['inbox', 'outbox', 'dead_letters', MIGRATIONS_TABLE]],
      );
      return rows.map((row) => row.table_name);
    });
    expect(tables).toEqual(['dead_letters', 'inbox', 'outbox', MIGRATIONS_TABLE].sort());
  });

  it('has recorded every platform migration', async () => {
    const recorded = await withPostgresConnection(testEndpoints.databaseUrl, async (db) => {
      const rows: Array<{ name: string }> = await db.query(
        `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`,
      );
      return rows.map((row) => row.name);
    });
    expect(recorded).toEqual(expect.arrayContaining(PLATFORM_MIGRATIONS.map((migration) => migration.name)));
  });

  it('runs the migrations again as a no-op', async () => {
    await expect(runMigrations(testEndpoints.databaseUrl)).resolves.toEqual({
      createdDatabase: false,
      applied: [],
    });
  });

  it('rejects a second inbox record of one event (the idempotency key)', async () => {
    const eventId = randomUUID();
    await withPostgresConnection(testEndpoints.databaseUrl, async (db) => {
      await db.startTransaction();
      try {
        const insert = `INSERT INTO inbox (consumer, source, event_id) VALUES ('stack-test', '/test', $1) ON CONFLICT DO NOTHING RETURNING event_id`;
        expect(await db.query(insert, [eventId])).toHaveLength(1);
        expect(await db.query(insert, [eventId])).toHaveLength(0);
      } finally {
        await db.rollbackTransaction(); // leave no test rows behind
      }
    });
  });
});

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
