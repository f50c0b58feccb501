/**
 * A crash of the relay between publish and mark-sent (the test): the event is
 * published again, with the same id and bytes, and nothing else is. Twice: in-process through
 * the relay's test hook, and for real, with a relay in a child process killed by SIGKILL at
 * that moment, whose shards then go to another relay because Postgres ends the dead session.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Topics } from '@lendstream/contracts';
import type { DataSource } from 'typeorm';
import type { KafkaEventProducer } from '../../libs/messaging/src/adapters/kafka-event-producer';
import type { OutboxRelay } from '../../libs/messaging/src/adapters/outbox-relay';
import { testEndpoints } from '../support/env';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import { PUBLISHED_PREFIX } from './support/crashing-relay';
import {
  commitEvents,
  connectedProducer,
  createRelay,
  creditLineAdjusted,
  outboxRowStates,
  PublishedEvent,
  readCreditLines,
  waitForEmptyBacklog,
} from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(90_000);

const CHILD_ENTRY = resolve(__dirname, 'support/crashing-relay.ts');
const REPO_ROOT = resolve(__dirname, '../..');
const CHILD_EXIT_TIMEOUT_MS = 45_000;

describe('a relay crash between publish and mark-sent (real Postgres and Kafka)', () => {
  let database: OutboxTestDatabase;
  let kit: KafkaTestKit;
  let dataSource: DataSource;
  let producer: KafkaEventProducer;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    database = await OutboxTestDatabase.create('crash');
    kit = await KafkaTestKit.create('outbox-crash', [Topics.creditLines]);
    dataSource = await database.connect('outbox-crash');
    producer = await connectedProducer(kit, 'relay');
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await producer.disconnect();
    await kit.cleanup();
    await database.cleanup();
  });

  it('in process: publishes the event again with the same id, and nothing else', async () => {
    const before = creditLineAdjusted('m-1', 1);
    const crashed = creditLineAdjusted('m-1', 2);
    let crashes = 0;
    const relay = createRelay(dataSource, producer, {
      afterPublishBeforeMark: (rows) => {
        if (rows.some((row) => row.eventId === crashed.id) && crashes === 0) {
          crashes += 1;
          throw new Error('simulated crash between publish and mark-sent');
        }
      },
    });
    relays.push(relay);
    await relay.start();
    await commitEvents(dataSource, [before]);
    await waitForEmptyBacklog(relay);
    await commitEvents(dataSource, [crashed]);
    await waitForEmptyBacklog(relay);

    const published = await readCreditLines(kit);
    expect(published.map((record) => record.id)).toEqual([before.id, crashed.id, crashed.id]);
    expect(published[2]!.value).toBe(published[1]!.value);
    expect(crashes).toBe(1);
    const states = await outboxRowStates(dataSource, [before.id, crashed.id]);
    expect(states.get(crashed.id)).toEqual({ published: true, attempts: 2 });
    expect(states.get(before.id)).toEqual({ published: true, attempts: 1 });
    expect(relay.status()).toMatchObject({ failedRounds: 1, consecutiveFailures: 0, publishedRows: 2 });
  });

  it('in a killed process: the next relay takes over its shards at once and publishes the event again, same id, nothing else', async () => {
    const before = creditLineAdjusted('m-2', 1);
    const crashed = creditLineAdjusted('m-2', 2);
    // `before` is published and marked by a relay that then stops; only `crashed` is pending for the child.
    const warmup = createRelay(dataSource, producer);
    await warmup.start();
    await commitEvents(dataSource, [before]);
    await waitForEmptyBacklog(warmup);
    await warmup.stop();
    await commitEvents(dataSource, [crashed]);

    const child = await runCrashingRelay(database.schema, kit.namespace);
    expect(child.signal).toBe('SIGKILL');
    expect(child.published).toEqual([crashed.id]);
    // Published, never marked: the crash came between the two.
    expect((await readCreditLines(kit)).map((record) => record.id)).toEqual([before.id, crashed.id]);
    expect((await outboxRowStates(dataSource, [crashed.id])).get(crashed.id)).toEqual({
      published: false,
      attempts: 0,
    });

    const successor = createRelay(dataSource, producer);
    relays.push(successor);
    const startedAt = Date.now();
    await successor.start();
    // The dead relay's session is gone, so its shards are free at the successor's first rebalance.
    expect(successor.status().heldShards).toHaveLength(16);
    await waitForEmptyBacklog(successor);
    expect(Date.now() - startedAt).toBeLessThan(5_000);

    const published: PublishedEvent[] = await readCreditLines(kit);
    expect(published.map((record) => record.id)).toEqual([before.id, crashed.id, crashed.id]);
    expect(published[2]!.value).toBe(published[1]!.value);
    expect((await outboxRowStates(dataSource, [crashed.id])).get(crashed.id)).toEqual({
      published: true,
      attempts: 1,
    });
  });

  it('survives losing its Postgres session: it reconnects, locks its shards again and goes on', async () => {
    const relayName = `session-loss-${Date.now().toString(36)}`;
    const relay = createRelay(dataSource, producer, { relayName });
    relays.push(relay);
    await relay.start();
    const before = creditLineAdjusted('m-3', 1);
    await commitEvents(dataSource, [before]);
    await waitForEmptyBacklog(relay);

    // What a Postgres restart or a network cut does to the relay's own session.
    const terminated: unknown[] = await dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
      [relayName],
    );
    expect(terminated).toHaveLength(1);
    const after = creditLineAdjusted('m-3', 2);
    await commitEvents(dataSource, [after]);

    await waitForEmptyBacklog(relay);
    await waitUntil(
      'the relay to open a new session and hold every shard again',
      () => relay.status().sessionsOpened === 2 && relay.status().heldShards.length === 16,
    );
    // The locks are real: its new session holds the 16 shard locks and the member lock.
    const [locks]: Array<{ held: number }> = await dataSource.query(
      `SELECT count(*)::int AS held FROM pg_locks JOIN pg_stat_activity USING (pid)
        WHERE application_name = $1 AND locktype = 'advisory' AND granted`,
      [relayName],
    );
    expect(locks).toEqual({ held: 17 });
    const published = await readCreditLines(kit);
    expect(published.map((record) => record.id)).toEqual([before.id, after.id]);
  });
});

interface ChildOutcome {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly published: readonly string[] | undefined;
}

async function runCrashingRelay(schema: string, namespace: string): Promise<ChildOutcome> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: testEndpoints.kafkaBrokers.join(','),
      DATABASE_URL: testEndpoints.databaseUrl,
      OUTBOX_TEST_SCHEMA: schema,
      TEST_TOPIC_NAMESPACE: namespace,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let published: string[] | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(PUBLISHED_PREFIX))
      published = JSON.parse(line.slice(PUBLISHED_PREFIX.length)) as string[];
    else output.push(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  try {
    await waitUntil('the crashing relay to publish and die', () => exit !== undefined, CHILD_EXIT_TIMEOUT_MS);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`);
  }
  return { ...exit!, published };
}
