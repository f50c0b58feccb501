/**
 * Order per key with several relays at once: three relays share ~2,000 rows of 50 keys while
 * writers commit them, and one relay leaves and another joins half way, so shards move under
 * load. Read back, every key's events are in the order they were committed, every row is
 * published, and nothing is published twice (shards move only after their rows are marked).
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
  readCreditLines,
  waitForEmptyBacklog,
} from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(120_000);

const KEY_COUNT = 50;
const EVENTS_PER_KEY = 40;
const WRITER_COUNT = 5;
const SHARD_COUNT = 16;

describe('outbox relays running at once (real Postgres and Kafka)', () => {
  let database: OutboxTestDatabase;
  let kit: KafkaTestKit;
  let producer: KafkaEventProducer;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = await OutboxTestDatabase.create('order');
    kit = await KafkaTestKit.create('outbox-order', [Topics.creditLines], { partitions: 3 });
    producer = await connectedProducer(kit, 'relays');
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await producer?.disconnect();
    await kit?.cleanup();
    await database?.cleanup();
  });

  /** Each relay gets its own pool, as it would in its own process. */
  async function startRelay(name: string): Promise<OutboxRelay> {
    const dataSource = await database.connect(name, 3);
    const relay = createRelay(dataSource, producer, {
      relayName: name,
      shardCount: SHARD_COUNT,
      batchSize: 100,
    });
    relays.push(relay);
    await relay.start();
    return relay;
  }

  it('keeps every key in commit order, publishes every row once, and never lets two relays hold a shard', async () => {
    const [first, second, third] = await Promise.all(['relay-a', 'relay-b', 'relay-c'].map(startRelay));
    const running = new Set([first!, second!, third!]);
    await waitUntil('the three relays to share the shards', () => heldShardsAreDisjointAndCover(running, 3));

    // Writers own disjoint keys (as partitions do in the apps), so a key's commit order is its writer's order.
    const writersDataSource = await database.connect('writers', WRITER_COUNT);
    const expectedByKey = new Map<string, string[]>();
    const overlapSamples: string[] = [];
    const sampler = setInterval(() => {
      if (!heldShardsAreDisjoint(running)) overlapSamples.push(describeShards(running));
    }, 20);
    let handedOver = false;
    try {
      await Promise.all(
        Array.from({ length: WRITER_COUNT }, (_, writer) =>
          write(writersDataSource, writer, expectedByKey, async (progress) => {
            // Half way through, one relay leaves and another joins: shards move under load.
            if (writer === 0 && progress >= 0.5 && !handedOver) {
              handedOver = true;
              await first!.stop();
              running.delete(first!);
              running.add(await startRelay('relay-d'));
            }
          }),
        ),
      );
      await waitForEmptyBacklog(second!, relays, 60_000);
    } finally {
      clearInterval(sampler);
    }

    const published = await readCreditLines(kit);
    const firstCopies = new Map<string, string>();
    const publishedByKey = new Map<string, string[]>();
    let duplicates = 0;
    for (const record of published) {
      const earlier = firstCopies.get(record.id);
      if (earlier !== undefined) {
        duplicates += 1;
        expect(record.value).toBe(earlier); // a duplicate is the same event, byte for byte
        continue;
      }
      firstCopies.set(record.id, record.value);
      publishedByKey.set(record.key, [...(publishedByKey.get(record.key) ?? []), record.id]);
    }
    expect(publishedByKey.size).toBe(KEY_COUNT);
    for (const [key, expectedIds] of expectedByKey)
      expect({ key, ids: publishedByKey.get(key) }).toEqual({ key, ids: expectedIds });
    expect(firstCopies.size).toBe(KEY_COUNT * EVENTS_PER_KEY);
    expect(duplicates).toBe(0);
    expect(overlapSamples).toEqual([]);
    // Every relay did part of the work, and together exactly all of it.
    const publishedPerRelay = relays.map((relay) => relay.status().publishedRows);
    expect(publishedPerRelay.every((count) => count > 0)).toBe(true);
    expect(publishedPerRelay.reduce((sum, count) => sum + count, 0)).toBe(KEY_COUNT * EVENTS_PER_KEY);
  });
});

/** Writer `writer` commits its keys' events round-robin, one to three per transaction. */
async function write(
  dataSource: DataSource,
  writer: number,
  expectedByKey: Map<string, string[]>,
  onProgress: (progress: number) => Promise<void>,
): Promise<void> {
  const keys = Array.from({ length: KEY_COUNT }, (_, index) => `m-${index}`).filter(
    (_, index) => index % WRITER_COUNT === writer,
  );
  const remaining = new Map(keys.map((key) => [key, EVENTS_PER_KEY]));
  const total = keys.length * EVENTS_PER_KEY;
  let written = 0;
  for (let round = 0; written < total; round += 1) {
    const key = keys[round % keys.length]!;
    const count = Math.min(remaining.get(key)!, 1 + (round % 3));
    if (count === 0) continue;
    const events = Array.from({ length: count }, (_, index) => creditLineAdjusted(key, written + index));
    await commitEvents(dataSource, events);
    expectedByKey.set(key, [...(expectedByKey.get(key) ?? []), ...events.map((event) => event.id)]);
    remaining.set(key, remaining.get(key)! - count);
    written += count;
    await onProgress(written / total);
  }
}

function heldShardsAreDisjoint(relays: ReadonlySet<OutboxRelay>): boolean {
  const held = [...relays].flatMap((relay) => relay.status().heldShards);
  return new Set(held).size === held.length;
}

function heldShardsAreDisjointAndCover(relays: ReadonlySet<OutboxRelay>, expectedHolders: number): boolean {
  const statuses = [...relays].map((relay) => relay.status());
  const held = statuses.flatMap((status) => status.heldShards);
  return (
    heldShardsAreDisjoint(relays) &&
    held.length === SHARD_COUNT &&
    statuses.filter((status) => status.heldShards.length > 0).length === expectedHolders
  );
}

function describeShards(relays: ReadonlySet<OutboxRelay>): string {
  return [...relays].map((relay) => relay.status().heldShards.join(',')).join(' | ');
}
