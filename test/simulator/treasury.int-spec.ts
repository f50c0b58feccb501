/**
 * The simulated treasury against the real broker, on fresh namespaced topics: it answers
 * every `disbursement.requested` exactly as the pure decision says, never before the delay,
 * with one deterministic event id per disbursement; it commits only what it answered, so a
 * stop and restart mid-stream leaves no request unanswered; a redelivery republishes the
 * same event; and the CLI drains and exits cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AnyCloudEvent, createEvent, decodeEvent, encodeEvent, Topics } from '@lendstream/contracts';
import { createConsoleLogger } from '@lendstream/messaging';
import { confirmationEventId, decideDisbursement, TreasurySettings } from '@lendstream/simulation';
import { SimulatedTreasury } from '../../apps/simulator/src/treasury/simulated-treasury';
import type { SimulatedTreasuryOptions } from '../../apps/simulator/src/treasury/treasury-options';
import { testEndpoints } from '../support/env';
import { KafkaTestKit, TestRecord, waitUntil } from '../support/kafka-helpers';

jest.setTimeout(120_000);

const REPO_ROOT = resolve(__dirname, '../..');
const PARTITIONS = 3;
const MERCHANTS = 12;
/** Generous: a confirmation is due after the delay, and must come soon after it, not a delay per request later. */
const LATENESS_BOUND_MS = 5_000;
/** Joining a group and answering take seconds; on a loaded shared machine, many more. */
const WAIT_MS = 45_000;

interface Confirmation {
  readonly event: Extract<AnyCloudEvent, { type: 'disbursement.settled' | 'disbursement.failed' }>;
  readonly partition: number;
}

const merchantOf = (index: number): string => `m-${String(index % MERCHANTS).padStart(6, '0')}`;

function requestRecords(label: string, from: number, count: number): TestRecord[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const merchantId = merchantOf(index);
    const disbursementId = `${label}-disb-${String(index).padStart(5, '0')}`;
    const event = createEvent({
      type: 'disbursement.requested',
      id: `${disbursementId}:requested`,
      source: '/lendstream/lending',
      time: new Date().toISOString(),
      data: {
        merchantId,
        disbursementId,
        loanId: `${label}-loan-${index}`,
        creditLineId: `${label}-cl-${merchantId}`,
        amountMinor: BigInt(100_000 + index),
        currency: 'CNY',
        requestedAt: new Date().toISOString(),
      },
    });
    return {
      key: merchantId,
      value: encodeEvent(event),
      headers: { 'content-type': 'application/cloudevents+json' },
    };
  });
}

/** Produces the requests, returning the wall-clock time just before the send: no record is older. */
async function produceRequests(kit: KafkaTestKit, records: readonly TestRecord[]): Promise<number> {
  const sentFromMs = Date.now();
  await kit.produce(Topics.disbursements, records);
  return sentFromMs;
}

async function readConfirmations(kit: KafkaTestKit): Promise<Confirmation[]> {
  const records = await kit.readToEnd(Topics.treasury);
  return records.map((record) => {
    expect(record.headers['content-type']).toBe('application/cloudevents+json');
    const decoded = decodeEvent({ topic: kit.topic(Topics.treasury), key: record.key, value: record.value });
    if (!decoded.ok) throw new Error(`${decoded.error.message}: ${record.value?.toString()}`);
    if (decoded.value.type !== 'disbursement.settled' && decoded.value.type !== 'disbursement.failed') {
      throw new Error(`unexpected ${decoded.value.type} on the treasury topic`);
    }
    return { event: decoded.value, partition: record.partition };
  });
}

async function endOffsets(kit: KafkaTestKit, topic: typeof Topics.disbursements | typeof Topics.treasury) {
  const offsets = await kit.admin.fetchTopicOffsets(kit.topic(topic));
  return new Map(offsets.map((entry) => [entry.partition, entry.high]));
}

/** Every requests-topic partition committed up to its end: nothing unanswered is left behind. */
async function waitForAllCommitted(kit: KafkaTestKit, groupId: string): Promise<void> {
  const ends = await endOffsets(kit, Topics.disbursements);
  await kit.waitFor(
    `group ${groupId} to commit every request`,
    async () => {
      const committed = await kit.committedOffsets(groupId, Topics.disbursements);
      return [...ends].every(([partition, end]) => end === '0' || committed.get(partition) === end);
    },
    WAIT_MS,
  );
}

/** The outcome the pure decision gives, to compare the broker's records with. */
function expectedTypeOf(disbursementId: string, settings: TreasurySettings): string {
  return `disbursement.${decideDisbursement(disbursementId, settings).outcome}`;
}

const isNotSkipLine = (line: string): boolean => !line.includes('Skipping an invalid disbursement request');

function expectMatchesDecision(confirmation: Confirmation, settings: TreasurySettings): void {
  const { event } = confirmation;
  const decision = decideDisbursement(event.data.disbursementId, settings);
  expect(event.id).toBe(confirmationEventId(event.data.disbursementId));
  expect(event.source).toBe('/treasury');
  expect(event.type).toBe(`disbursement.${decision.outcome}`);
  if (event.type === 'disbursement.settled' && decision.outcome === 'settled') {
    expect(event.data.treasuryRef).toBe(decision.treasuryRef);
  }
  if (event.type === 'disbursement.failed' && decision.outcome === 'failed') {
    expect(event.data.reason).toBe(decision.reason);
  }
}

/**
 * Fresh topics for each test. No dead-letter topic: treasury is an outside system and must
 * not need (or write) ours. Right after other topics were deleted, the broker sometimes
 * answers the metadata request that waits for the new topics' leaders with "does not host
 * this topic-partition" (kafkajs retries only "leader not available"): a few bounded
 * attempts absorb that.
 */
async function createKit(): Promise<KafkaTestKit> {
  const ATTEMPTS = 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await KafkaTestKit.create('treasury', [Topics.disbursements, Topics.treasury], {
        partitions: PARTITIONS,
      });
    } catch (error) {
      if (attempt >= ATTEMPTS || !/does not host this topic-partition/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

describe('SimulatedTreasury (real broker)', () => {
  let kit: KafkaTestKit;
  const treasuries: SimulatedTreasury[] = [];
  const warnings: string[] = [];

  const startTreasury = async (options: Partial<SimulatedTreasuryOptions>): Promise<SimulatedTreasury> => {
    const treasury = new SimulatedTreasury({
      brokers: testEndpoints.kafkaBrokers,
      topicNamespace: kit.namespace,
      clientId: `${kit.namespace}-treasury`,
      logger: createConsoleLogger('warn', (line) => warnings.push(line)),
      ...options,
    });
    treasuries.push(treasury);
    await treasury.start();
    return treasury;
  };

  beforeEach(async () => {
    warnings.splice(0);
    kit = await createKit();
  });

  afterEach(async () => {
    for (const treasury of treasuries.splice(0)) await treasury.stop();
    await kit?.cleanup();
  });

  it('answers every request once, as decided, never before its delay and all within one delay, and commits them all', async () => {
    const settings = { delayMs: 1_500, failShareBps: 2_500, seed: 'integration' };
    const groupId = kit.groupId('treasury');
    const treasury = await startTreasury({ groupId, settings });
    const requests = requestRecords('split', 0, 120);
    const junk: TestRecord = { key: 'm-000001', value: '{"not":"a cloudevent"}' };

    const sentFromMs = await produceRequests(kit, [...requests.slice(0, 60), junk, ...requests.slice(60)]);
    const sentByMs = Date.now();
    await kit.waitFor(
      '120 confirmations',
      () => treasury.stats.settled + treasury.stats.failed >= 120,
      WAIT_MS,
    );
    await waitForAllCommitted(kit, groupId);

    const confirmations = await readConfirmations(kit);
    // With the warnings beside the count, a failure says why (a rebalance, a failed publish).
    expect({ confirmations: confirmations.length, warnings: warnings.filter(isNotSkipLine) }).toEqual({
      confirmations: 120,
      warnings: [],
    });
    const disbursementIds = confirmations.map(({ event }) => event.data.disbursementId);
    expect(new Set(disbursementIds).size).toBe(120);
    for (const confirmation of confirmations) {
      expectMatchesDecision(confirmation, settings);
      const decidedAtMs = Date.parse(confirmation.event.time);
      expect(decidedAtMs).toBeGreaterThanOrEqual(sentFromMs + settings.delayMs);
      expect(decidedAtMs).toBeLessThan(sentByMs + settings.delayMs + LATENESS_BOUND_MS);
    }
    // The split is exactly the pure decision's, and about the share asked for.
    const failed = confirmations.filter(({ event }) => event.type === 'disbursement.failed').length;
    const expectedFailed = disbursementIds.filter(
      (id) => expectedTypeOf(id, settings) === 'disbursement.failed',
    ).length;
    expect(failed).toBe(expectedFailed);
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
    expect(treasury.stats).toEqual({ settled: 120 - failed, failed, skipped: 1 });
    // Keyed by merchant: a merchant's confirmations share one partition.
    const partitionsByMerchant = new Map<string, Set<number>>();
    for (const { event, partition } of confirmations) {
      partitionsByMerchant.set(
        event.subject,
        (partitionsByMerchant.get(event.subject) ?? new Set()).add(partition),
      );
    }
    for (const partitions of partitionsByMerchant.values()) expect(partitions.size).toBe(1);
    // The junk record was logged and skipped.
    expect(warnings.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        message: 'Skipping an invalid disbursement request',
        reason: 'NOT_CLOUDEVENT',
      }),
    ]);
  });

  it('stopped and restarted mid-stream, answers every request; a repeated answer carries the same id and outcome', async () => {
    const settings = { delayMs: 800, failShareBps: 3_000, seed: 'restart' };
    const groupId = kit.groupId('treasury');
    // drainTimeoutMs 0: the first treasury gives up whatever is not yet due when it stops.
    const first = await startTreasury({ groupId, settings, drainTimeoutMs: 0 });
    await produceRequests(kit, requestRecords('restart', 0, 40));
    await kit.waitFor(
      'the first wave answered',
      () => first.stats.settled + first.stats.failed >= 40,
      WAIT_MS,
    );
    await produceRequests(kit, requestRecords('restart', 40, 40));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await produceRequests(kit, requestRecords('restart', 80, 40));
    await first.stop();
    const answeredBeforeRestart = first.stats.settled + first.stats.failed;
    expect(answeredBeforeRestart).toBeLessThan(120);

    const second = await startTreasury({ groupId, settings });
    await waitForAllCommitted(kit, groupId);
    const confirmations = await readConfirmations(kit);
    const byDisbursement = new Map<string, Confirmation[]>();
    for (const confirmation of confirmations) {
      expectMatchesDecision(confirmation, settings);
      const id = confirmation.event.data.disbursementId;
      byDisbursement.set(id, [...(byDisbursement.get(id) ?? []), confirmation]);
    }
    expect([...byDisbursement.keys()].sort()).toEqual(
      Array.from({ length: 120 }, (_, index) => `restart-disb-${String(index).padStart(5, '0')}`),
    );
    for (const repeated of [...byDisbursement.values()].filter((answers) => answers.length > 1)) {
      const [firstAnswer, ...others] = repeated;
      for (const other of others) {
        expect(other.event.id).toBe(firstAnswer!.event.id);
        expect({ type: other.event.type, data: other.event.data }).toEqual({
          type: firstAnswer!.event.type,
          data: firstAnswer!.event.data,
        });
      }
    }
    expect(answeredBeforeRestart + second.stats.settled + second.stats.failed).toBe(confirmations.length);
  });

  it('republishes the same events, ids and outcomes when the requests are delivered again', async () => {
    const settings = { delayMs: 200, failShareBps: 5_000, seed: 'redelivery' };
    await produceRequests(kit, requestRecords('again', 0, 30));
    const first = await startTreasury({ groupId: kit.groupId('first'), settings });
    await kit.waitFor('the first answers', () => first.stats.settled + first.stats.failed >= 30, WAIT_MS);
    await first.stop();
    // A group with no offsets reads every request again, as after a lost commit.
    const second = await startTreasury({ groupId: kit.groupId('second'), settings });
    await kit.waitFor('the second answers', () => second.stats.settled + second.stats.failed >= 30, WAIT_MS);

    const confirmations = await readConfirmations(kit);
    // At least once: each group answers every request; a publish retried under load may add a
    // copy, which must be the same event (same id, same outcome) like every other repeat.
    expect({ atLeast60: confirmations.length >= 60, warnings }).toEqual({ atLeast60: true, warnings: [] });
    const byId = new Map<string, Confirmation['event'][]>();
    for (const { event } of confirmations) byId.set(event.id, [...(byId.get(event.id) ?? []), event]);
    expect(byId.size).toBe(30);
    for (const [id, [answer, ...again]] of byId) {
      expect(id).toBe(confirmationEventId(answer!.data.disbursementId));
      expect(again.length).toBeGreaterThanOrEqual(1);
      for (const repeat of again)
        expect({ type: repeat.type, data: repeat.data }).toEqual({ type: answer!.type, data: answer!.data });
    }
    expect(second.stats).toEqual(first.stats);
  });

  it('refuses to start, naming them, when its topics are missing', async () => {
    const treasury = new SimulatedTreasury({
      brokers: testEndpoints.kafkaBrokers,
      topicNamespace: `${kit.namespace}-missing`,
      logger: createConsoleLogger('nothing'),
    });
    await expect(treasury.start()).rejects.toThrow(
      `Missing Kafka topics (they are never auto-created): ${kit.namespace}-missing.scf.disbursements.v1, ${kit.namespace}-missing.scf.treasury.v1`,
    );
    expect(treasury.state).toBe('stopped');
  });

  it('runs as `npm run simulate -- treasury`, answers, and drains and exits 0 on SIGTERM', async () => {
    const groupId = kit.groupId('cli');
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'apps/simulator/src/cli.ts',
        'treasury',
        '--delay-ms',
        '300',
        '--fail-share',
        '0',
        '--seed',
        'cli',
        '--group',
        groupId,
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          KAFKA_BROKERS: testEndpoints.kafkaBrokers.join(','),
          KAFKA_TOPIC_NAMESPACE: kit.namespace,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => output.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
    child.on('exit', (code, signal) => (exit = { code, signal }));
    try {
      await waitUntil(
        'the treasury to start',
        () => {
          if (exit) throw new Error(`the treasury exited at start:\n${output.join('\n')}`);
          return output.some((line) => line.includes('simulate treasury: answering'));
        },
        WAIT_MS,
      );
      await produceRequests(kit, requestRecords('cli', 0, 10));
      await kit.waitFor(
        '10 confirmations',
        async () => {
          const ends = await endOffsets(kit, Topics.treasury);
          return [...ends.values()].reduce((sum, high) => sum + Number(high), 0) >= 10;
        },
        WAIT_MS,
      );
      await waitForAllCommitted(kit, groupId);

      child.kill('SIGTERM');
      await waitUntil('the treasury to exit', () => exit !== undefined, 20_000);
    } finally {
      if (!exit) child.kill('SIGKILL');
    }
    expect(exit).toEqual({ code: 0, signal: null });
    expect(output).toContain('simulate treasury: stopped; answered 10 settled, 0 failed, 0 invalid skipped');
    const confirmations = await readConfirmations(kit);
    expect(confirmations.map(({ event }) => event.type)).toEqual(Array(10).fill('disbursement.settled'));
  });
});
