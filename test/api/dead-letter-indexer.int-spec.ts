/**
 * The dead-letter indexer (libs/dead-letters) on a real namespaced scf.dlq.v1 and a scratch
 * database: a write that fails (as when Postgres is down) is retried until it succeeds, never
 * skipped, and nothing is committed past it; an indexer restarted in the same group resumes
 * where it committed, and what it reads again is stored once.
 */
import { Topics } from '@lendstream/contracts';
import { DeadLetterIndexer, type DeadLetterEntry, insertDeadLetters } from '@lendstream/dead-letters';
import { silentLogger } from '@lendstream/messaging';
import type { DataSource } from 'typeorm';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import { testEndpoints } from '../support/env';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(120_000);

const TIMEOUT_MS = 40_000;

describe('DeadLetterIndexer (real Kafka and Postgres)', () => {
  let kit: KafkaTestKit;
  let database: ApiTestDatabase;
  let db: DataSource;
  const indexers: DeadLetterIndexer[] = [];

  const rows = async () =>
    (await db.query(
      `SELECT dlq_offset::text AS dlq_offset, reason FROM dead_letters ORDER BY dlq_offset::bigint`,
    )) as Array<{
      dlq_offset: string;
      reason: string;
    }>;
  const produce = (from: number, count: number) =>
    kit.produce(
      Topics.deadLetters,
      Array.from({ length: count }, (_, index) => ({
        key: `m-${from + index}`,
        value: `not json ${from + index}`,
        headers: { 'dlq-reason': 'NOT_JSON', 'dlq-at': new Date().toISOString() },
      })),
    );
  const startIndexer = (groupId: string, store: (entries: readonly DeadLetterEntry[]) => Promise<void>) => {
    const indexer = new DeadLetterIndexer({
      brokers: testEndpoints.kafkaBrokers,
      clientId: 'dead-letter-indexer-int-spec',
      groupId,
      topicNamespace: kit.namespace,
      logger: silentLogger,
      maxBatchSize: 5,
      store,
    });
    indexers.push(indexer);
    indexer.start();
    return indexer;
  };

  beforeAll(async () => {
    kit = await KafkaTestKit.create('dlq-indexer', [Topics.deadLetters]);
    database = await ApiTestDatabase.create('dlq_indexer');
    db = await database.connect('dead-letter-indexer-int-spec');
  });

  afterAll(async () => {
    await Promise.all(indexers.map((indexer) => indexer.stop()));
    await database?.cleanup();
    await kit?.cleanup();
  });

  it('retries a failing write until it succeeds, skips nothing, and resumes after a restart without duplicates', async () => {
    await produce(0, 12);
    const groupId = kit.groupId('indexer');
    let failuresLeft = 3;
    const attempts: string[][] = [];
    const first = startIndexer(groupId, async (entries) => {
      attempts.push(entries.map((entry) => entry.dlqOffset));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432 (injected)');
      }
      await insertDeadLetters(db.manager, entries);
    });
    await waitUntil('the first twelve to be indexed', async () => (await rows()).length === 12, TIMEOUT_MS);
    // The failed chunk was written again, the same records: retried, not skipped or split.
    expect(attempts.slice(0, 4)).toEqual(Array(4).fill(['0', '1', '2', '3', '4']));
    expect((await rows()).map((row) => row.dlq_offset)).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i)),
    );
    await waitUntil(
      'the offsets to be committed',
      async () => (await kit.committedOffsets(groupId, Topics.deadLetters)).get(0) === '12',
      TIMEOUT_MS,
    );
    await first.stop();

    // Offsets 10 and 11 again (as a redelivery after a crash would bring them), then new ones.
    await db.query(`DELETE FROM dead_letters WHERE dlq_offset >= 10`);
    await kit.admin.setOffsets({
      groupId,
      topic: kit.topic(Topics.deadLetters),
      partitions: [{ partition: 0, offset: '8' }],
    });
    await produce(12, 3);
    startIndexer(groupId, async (entries) => {
      await insertDeadLetters(db.manager, entries);
    });
    await waitUntil(
      'the restarted indexer to catch up',
      async () => (await rows()).length === 15,
      TIMEOUT_MS,
    );
    expect((await rows()).map((row) => row.dlq_offset)).toEqual(
      Array.from({ length: 15 }, (_, i) => String(i)),
    );
  });
});
