/**
 * Retention and metrics: the purge deletes only rows sent longer ago than the retention, in
 * bounded chunks, never a pending row however old; the relay holding shard 0 runs it on its
 * own; the backlog reports how many rows wait and how old the oldest is.
 */
import { Topics } from '@lendstream/contracts';
import type { DataSource } from 'typeorm';
import type { KafkaEventProducer } from '../../libs/messaging/src/adapters/kafka-event-producer';
import type { OutboxRelay } from '../../libs/messaging/src/adapters/outbox-relay';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import {
  commitEvents,
  connectedProducer,
  createRelay,
  creditLineAdjusted,
  outboxRowStates,
  waitForEmptyBacklog,
} from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1_000;

describe('outbox purge and backlog (real Postgres)', () => {
  let database: OutboxTestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await OutboxTestDatabase.create('purge');
    dataSource = await database.connect('outbox-purge');
  });

  afterEach(() => database.cleanup());

  /** Writes rows and backdates them: `publishedDaysAgo` undefined leaves a row pending. */
  async function rowsAged(
    ages: ReadonlyArray<{ createdDaysAgo: number; publishedDaysAgo?: number }>,
  ): Promise<string[]> {
    const events = ages.map((_, index) => creditLineAdjusted('m-1', index));
    await commitEvents(dataSource, events);
    for (const [index, age] of ages.entries()) {
      await dataSource.query(
        `UPDATE outbox SET created_at = now() - make_interval(days => $2),
                           published_at = CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END
          WHERE event_id = $1`,
        [events[index]!.id, age.createdDaysAgo, age.publishedDaysAgo ?? null],
      );
    }
    return events.map((event) => event.id);
  }

  it('purges only rows sent before the retention period (7 days by default), never pending ones', async () => {
    const [oldSent, olderSent, recentSent, oldPending, newPending] = await rowsAged([
      { createdDaysAgo: 9, publishedDaysAgo: 8 },
      { createdDaysAgo: 30, publishedDaysAgo: 30 },
      { createdDaysAgo: 2, publishedDaysAgo: 1 },
      { createdDaysAgo: 30 },
      { createdDaysAgo: 0 },
    ]);
    // Never started: purgeSent and outboxBacklog need no shards.
    const relay = createRelay(dataSource, { publish: () => Promise.reject(new Error('not used')) });

    await expect(relay.purgeSent()).resolves.toBe(2);

    const remaining = await outboxRowStates(dataSource, [
      oldSent!,
      olderSent!,
      recentSent!,
      oldPending!,
      newPending!,
    ]);
    expect([...remaining.keys()].sort()).toEqual([recentSent!, oldPending!, newPending!].sort());
    await expect(relay.purgeSent()).resolves.toBe(0);

    const backlog = await relay.outboxBacklog();
    expect(backlog).toMatchObject({ pendingCount: 2, pendingCountCapped: false });
    expect(backlog.oldestPendingAgeMs).toBeGreaterThan(30 * DAY_MS - 60_000);
    expect(backlog.oldestPendingAgeMs).toBeLessThan(30 * DAY_MS + 60_000);
    const capped = createRelay(
      dataSource,
      { publish: () => Promise.reject(new Error('not used')) },
      { backlogCountCap: 1 },
    );
    await expect(capped.outboxBacklog()).resolves.toMatchObject({
      pendingCount: 1,
      pendingCountCapped: true,
    });
  });

  it('purges in bounded chunks: one run deletes at most chunk size × chunks, the next goes on', async () => {
    await rowsAged(Array.from({ length: 25 }, () => ({ createdDaysAgo: 10, publishedDaysAgo: 10 })));
    const relay = createRelay(
      dataSource,
      { publish: () => Promise.reject(new Error('not used')) },
      { purgeChunkSize: 10, purgeMaxChunks: 2 },
    );
    await expect(relay.purgeSent()).resolves.toBe(20);
    await expect(relay.purgeSent()).resolves.toBe(5);
    await expect(relay.purgeSent()).resolves.toBe(0);
  });

  describe('with a running relay', () => {
    let kit: KafkaTestKit;
    let producer: KafkaEventProducer;
    let relay: OutboxRelay | undefined;

    beforeEach(async () => {
      kit = await KafkaTestKit.create('outbox-purge', [Topics.creditLines]);
      producer = await connectedProducer(kit, 'relay');
    });

    afterEach(async () => {
      await relay?.stop();
      await producer.disconnect();
      await kit.cleanup();
    });

    it('purges sent rows on its own once they pass the retention period', async () => {
      relay = createRelay(dataSource, producer, { retentionMs: 1_000, purgeIntervalMs: 200 });
      await relay.start();
      const events = [creditLineAdjusted('m-1', 1), creditLineAdjusted('m-2', 2)];
      await commitEvents(dataSource, events);
      await waitForEmptyBacklog(relay);
      expect(
        (
          await outboxRowStates(
            dataSource,
            events.map((event) => event.id),
          )
        ).size,
      ).toBe(2);

      await waitUntil(
        'the sent rows to be purged',
        async () =>
          (
            await outboxRowStates(
              dataSource,
              events.map((event) => event.id),
            )
          ).size === 0,
        10_000,
      );
    });
  });
});
