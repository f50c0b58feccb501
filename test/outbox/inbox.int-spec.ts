/**
 * The inbox on real Postgres: an event's effect happens once however often it is delivered,
 * sequentially, at the same moment from two transactions, or twice in one batch; a rolled-back
 * effect takes its inbox row with it, so the redelivery applies it; rows past the dedupe
 * horizon are purged in chunks. The "effect" is a non-idempotent balance update, so a second
 * application would show.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  inboxPurgeCutoff,
  purgeInbox,
  recordInbox,
  recordInboxBatch,
} from '../../libs/messaging/src/adapters/inbox-store';
import type { InboxEventIdentity } from '../../libs/messaging/src/inbox';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(30_000);

const CONSUMER = 'lending';

interface Payment extends InboxEventIdentity {
  readonly merchantId: string;
  readonly amountMinor: bigint;
}

const payment = (merchantId: string, amountMinor: bigint): Payment => ({
  source: '/treasury',
  id: randomUUID(),
  merchantId,
  amountMinor,
});

describe('inbox (real Postgres)', () => {
  let database: OutboxTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await OutboxTestDatabase.create('inbox');
    dataSource = await database.connect('inbox', 4);
    await dataSource.query(
      `CREATE TABLE balances (merchant_id text PRIMARY KEY, total_minor bigint NOT NULL)`,
    );
  });

  afterAll(() => database.cleanup());

  async function applyPayment(manager: EntityManager, event: Payment): Promise<void> {
    await manager.query(
      `INSERT INTO balances (merchant_id, total_minor) VALUES ($1, $2)
       ON CONFLICT (merchant_id) DO UPDATE SET total_minor = balances.total_minor + EXCLUDED.total_minor`,
      [event.merchantId, event.amountMinor.toString()],
    );
  }

  /** A consumer's handler: the inbox row and the effect in one transaction. */
  function handle(event: Payment): Promise<boolean> {
    return dataSource.transaction(async (manager) => {
      const fresh = await recordInbox(manager, CONSUMER, event);
      if (fresh) await applyPayment(manager, event);
      return fresh;
    });
  }

  async function balance(merchantId: string): Promise<bigint> {
    const rows: Array<{ total_minor: string }> = await dataSource.query(
      `SELECT total_minor::text AS total_minor FROM balances WHERE merchant_id = $1`,
      [merchantId],
    );
    return BigInt(rows[0]?.total_minor ?? '0');
  }

  it('applies a redelivered event once', async () => {
    const event = payment('m-1', 700n);
    await expect(handle(event)).resolves.toBe(true);
    await expect(handle(event)).resolves.toBe(false);
    await expect(handle({ ...event })).resolves.toBe(false);
    expect(await balance('m-1')).toBe(700n);
  });

  it('applies an event once when two transactions deliver it at the same moment', async () => {
    const event = payment('m-2', 300n);
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstRecorded!: () => void;
    const firstHasRecorded = new Promise<void>((resolve) => (firstRecorded = resolve));

    const first = dataSource.transaction(async (manager) => {
      const fresh = await recordInbox(manager, CONSUMER, event);
      if (fresh) await applyPayment(manager, event);
      firstRecorded();
      await firstMayCommit; // holds its uncommitted inbox row while the second one tries
      return fresh;
    });
    await firstHasRecorded;
    const second = handle(event); // waits on the first's row, then sees it committed
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseFirst();

    await expect(Promise.all([first, second])).resolves.toEqual([true, false]);
    expect(await balance('m-2')).toBe(300n);
  });

  it('forgets an event whose effect rolled back, so its redelivery applies it', async () => {
    const event = payment('m-3', 50n);
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await recordInbox(manager, CONSUMER, event)).toBe(true);
        await applyPayment(manager, event);
        throw new Error('the database went away mid-handler');
      }),
    ).rejects.toThrow('went away');
    expect(await balance('m-3')).toBe(0n);

    await expect(handle(event)).resolves.toBe(true);
    expect(await balance('m-3')).toBe(50n);
  });

  it('records a batch at once and returns the events to apply: new ones, in order, each once', async () => {
    const seen = payment('m-4', 1n);
    await handle(seen);
    const first = payment('m-4', 10n);
    const second = payment('m-4', 100n);
    const applied = await dataSource.transaction(async (manager) => {
      const fresh = await recordInboxBatch(manager, CONSUMER, [first, seen, second, { ...first }]);
      for (const event of fresh) await applyPayment(manager, event);
      return fresh;
    });
    expect(applied).toEqual([first, second]);
    expect(await balance('m-4')).toBe(111n);
  });

  it('keeps consumers apart: each consumer of one event applies it once', async () => {
    const event = payment('m-5', 5n);
    const record = (consumer: string): Promise<boolean> =>
      dataSource.transaction((manager) => recordInbox(manager, consumer, event));
    await expect(record('underwriter')).resolves.toBe(true);
    await expect(record('lending')).resolves.toBe(true);
    await expect(record('lending')).resolves.toBe(false);
  });

  it('refuses to record outside a transaction, where the inbox row would commit without the effect', async () => {
    await expect(recordInbox(dataSource.manager, CONSUMER, payment('m-6', 1n))).rejects.toThrow(
      /inside the caller's transaction/,
    );
  });

  it('purges rows older than the 30-day dedupe horizon, in chunks, and keeps younger ones', async () => {
    const now = new Date();
    const aged = async (days: number, count: number): Promise<Payment[]> => {
      const events = Array.from({ length: count }, () => payment('m-7', 1n));
      await dataSource.transaction((manager) => recordInboxBatch(manager, 'purge-test', events));
      await dataSource.query(
        `UPDATE inbox SET processed_at = $1::timestamptz - make_interval(days => $2)
          WHERE consumer = 'purge-test' AND event_id = ANY($3::text[])`,
        [now.toISOString(), days, events.map((event) => event.id)],
      );
      return events;
    };
    await aged(31, 7);
    const young = await aged(29, 3);

    await expect(
      purgeInbox(dataSource.manager, inboxPurgeCutoff(now), { chunkSize: 3, maxChunks: 2 }),
    ).resolves.toBe(6);
    await expect(purgeInbox(dataSource.manager, inboxPurgeCutoff(now), { chunkSize: 3 })).resolves.toBe(1);
    await expect(purgeInbox(dataSource.manager)).resolves.toBe(0);

    const left: Array<{ event_id: string }> = await dataSource.query(
      `SELECT event_id FROM inbox WHERE consumer = 'purge-test'`,
    );
    expect(left.map((row) => row.event_id).sort()).toEqual(young.map((event) => event.id).sort());
  });
});
