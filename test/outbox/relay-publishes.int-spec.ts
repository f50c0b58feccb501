/**
 * The outbox writer and relay on the real stack: what a committed transaction writes is
 * published once, keyed by merchant, as the contract event, and marked sent; what a
 * rolled-back transaction wrote never leaves; an invalid event fails the caller's transaction.
 */
import { decodeEvent, Topics } from '@lendstream/contracts';
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
  outboxRowStates,
  readCreditLines,
} from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(60_000);

describe('outbox writer and relay (real Postgres and Kafka)', () => {
  let database: OutboxTestDatabase;
  let kit: KafkaTestKit;
  let dataSource: DataSource;
  let producer: KafkaEventProducer;
  let relay: OutboxRelay;

  beforeAll(async () => {
    database = await OutboxTestDatabase.create('publishes');
    kit = await KafkaTestKit.create('outbox-publishes', [Topics.creditLines], { partitions: 3 });
    dataSource = await database.connect('outbox-publishes');
    producer = await connectedProducer(kit, 'relay');
    relay = createRelay(dataSource, producer);
    await relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    await producer?.disconnect();
    await kit?.cleanup();
    await database?.cleanup();
  });

  it('publishes the events of a committed transaction once, as contract events keyed by merchant, and marks them sent', async () => {
    const events = [creditLineAdjusted('m-1', 1), creditLineAdjusted('m-2', 2), creditLineAdjusted('m-1', 3)];
    await commitEvents(dataSource, events);

    await waitUntil('the rows to be marked sent', async () => {
      const states = await outboxRowStates(
        dataSource,
        events.map((event) => event.id),
      );
      return [...states.values()].filter((state) => state.published).length === events.length;
    });
    const published = await readCreditLines(kit);
    expect(published.map((record) => record.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect(published.filter((record) => record.key === 'm-1').map((record) => record.id)).toEqual([
      events[0]!.id,
      events[2]!.id,
    ]);
    for (const record of published) {
      const decoded = decodeEvent({
        topic: kit.topic(Topics.creditLines),
        key: record.key,
        value: record.value,
      });
      expect(decoded).toMatchObject({
        ok: true,
        value: { type: 'credit-line.adjusted', subject: record.key },
      });
    }
    const states = await outboxRowStates(
      dataSource,
      events.map((event) => event.id),
    );
    expect([...states.values()]).toEqual(events.map(() => ({ published: true, attempts: 1 })));
    expect(relay.status()).toMatchObject({ state: 'running', publishedRows: 3, failedRounds: 0 });
    await expect(relay.outboxBacklog()).resolves.toEqual({
      pendingCount: 0,
      pendingCountCapped: false,
      oldestPendingAgeMs: 0,
    });
  });

  it('publishes nothing that a rolled-back transaction wrote', async () => {
    const rolledBack = creditLineAdjusted('m-3', 4);
    const committed = creditLineAdjusted('m-3', 5);
    await expect(
      dataSource.transaction(async (manager) => {
        await enqueueOutbox(manager, [rolledBack]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    // A later commit proves the relay ran past the point where the rolled-back row would be.
    await commitEvents(dataSource, [committed]);

    await waitUntil('the committed row to be published', async () =>
      (await readCreditLines(kit)).some((record) => record.id === committed.id),
    );
    const published = await readCreditLines(kit);
    expect(published.filter((record) => record.key === 'm-3').map((record) => record.id)).toEqual([
      committed.id,
    ]);
    expect((await outboxRowStates(dataSource, [rolledBack.id])).size).toBe(0);
  });

  it('refuses an event that breaks the contract, failing the transaction it is part of', async () => {
    const valid = creditLineAdjusted('m-4', 6);
    const invalid = { ...creditLineAdjusted('m-4', 7), subject: 'm-other' };
    await expect(
      dataSource.transaction((manager) => enqueueOutbox(manager, [valid, invalid])),
    ).rejects.toThrow(/OUTBOX\.INVALID_EVENT.*subject/);
    const notUuid = { ...creditLineAdjusted('m-4', 8), id: 'decision-8' };
    await expect(dataSource.transaction((manager) => enqueueOutbox(manager, [notUuid]))).rejects.toThrow(
      /not a UUID/,
    );
    expect((await outboxRowStates(dataSource, [valid.id])).size).toBe(0);
  });

  it('refuses to write outside a transaction, where the rows would commit without the change', async () => {
    await expect(enqueueOutbox(dataSource.manager, [creditLineAdjusted('m-5', 9)])).rejects.toThrow(
      /inside the caller's transaction/,
    );
  });
});
