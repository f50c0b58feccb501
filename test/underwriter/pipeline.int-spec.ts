/**
 * The whole pipeline on the real stack: simulated marketplace events on Kafka, the real
 * profiler and underwriter processes (apps/*\/src/main.ts), Redis, Postgres (a database of its
 * own) and the outbox relay publishing to scf.credit-lines.v1 in a topic namespace of its own.
 */
import { decodeEvent, Topics, type CloudEvent, type TopicName } from '@lendstream/contracts';
import { merchantRoster } from '@lendstream/simulation';
import { KafkaTestKit, ReadRecord } from '../support/kafka-helpers';
import { hasCaughtUp } from '../profile/support/kafka-market';
import { ProfilerProcess } from '../profile/support/profiler-process';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../profile/support/redis-namespace';
import { profileSignal } from './support/simulated-profiles';
import { runMarket } from './support/run-market';
import { UnderwriterProcess } from './support/underwriter-process';
import { UnderwriterTestDatabase } from './support/underwriter-database';

jest.setTimeout(300_000);

const TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.deadLetters,
  Topics.profileChanged,
  Topics.creditLines,
  // The underwriter also listens to lending's loan events.
  Topics.loans,
];
const MARKET = {
  seed: 'uw-pipeline',
  merchants: 4,
  days: 100,
  start: '2026-05-01',
  archetypeMix: { steady: 1, growing: 1, 'stockout-prone': 1, 'refund-heavy': 1 },
} as const;
const CONTRACT_FIELDS = [
  'merchantId',
  'creditLineId',
  'status',
  'limitMinor',
  'availableMinor',
  'outstandingMinor',
  'currency',
  'dailyRateBps',
  'grade',
  'score',
  'reasons',
  'policyVersion',
  'decisionId',
  'profileAsOf',
  'decidedAt',
].sort();

type CreditLineEvent = CloudEvent<'credit-line.granted'>;

function decodeCreditLines(records: readonly ReadRecord[]): CreditLineEvent[] {
  return records.map((record) => {
    const decoded = decodeEvent({ topic: Topics.creditLines, key: record.key, value: record.value });
    if (!decoded.ok) throw new Error(`not a contract event: ${decoded.error.message}`);
    return decoded.value as CreditLineEvent;
  });
}

describe('pipeline (Kafka → profiler → Redis → underwriter → Postgres → outbox → scf.credit-lines.v1)', () => {
  let kit: KafkaTestKit;
  let database: UnderwriterTestDatabase;
  let profiler: ProfilerProcess | undefined;
  let underwriter: UnderwriterProcess | undefined;
  const redis = connectRedis();
  const keyPrefix = uniqueKeyPrefix('uwp');
  const roster = merchantRoster(MARKET);
  const merchantOf = (archetype: string) =>
    roster.find((merchant) => merchant.archetype === archetype)!.merchantId;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('underwriter', TOPICS, { partitions: 2 });
    database = await UnderwriterTestDatabase.create('pipeline');
    const shared = { KAFKA_TOPIC_NAMESPACE: kit.namespace, PROFILE_KEY_PREFIX: keyPrefix };
    profiler = await ProfilerProcess.start({ ...shared, PROFILER_GROUP_ID: kit.groupId('profiler') });
    underwriter = await UnderwriterProcess.start({
      ...shared,
      DATABASE_URL: database.url,
      UNDERWRITER_GROUP_ID: kit.groupId('underwriter'),
      SILENCE_SWEEP_INTERVAL_MS: '0',
    });
  });

  afterAll(async () => {
    await underwriter?.stop().catch(() => undefined);
    await profiler?.stop().catch(() => undefined);
    await kit?.cleanup();
    await database?.cleanup();
    await deleteKeysUnder(redis, keyPrefix).catch(() => undefined);
    await redis.quit();
  });

  it('grants lines with the contract fields and reasons, and freezes the stock-out-prone merchant', async () => {
    // Day by day, as a live market would arrive (see runMarket).
    await runMarket(kit, MARKET);
    // Everything decided is in the outbox; wait for the relay to have published it all.
    await kit.waitFor('the outbox to drain', async () => {
      const [pending] = await (
        await database.connect('uw-pipeline-check', 1)
      ).query(`SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`);
      return pending.pending === 0;
    });
    const events = decodeCreditLines(await kit.readToEnd(Topics.creditLines));
    const ofMerchant = (merchantId: string) => events.filter((event) => event.subject === merchantId);

    const steady = ofMerchant(merchantOf('steady'));
    const granted = steady.find((event) => event.type === 'credit-line.granted');
    expect(granted).toBeDefined();
    expect(Object.keys(granted!.data).sort()).toEqual(CONTRACT_FIELDS);
    expect(granted!.data).toMatchObject({ status: 'ACTIVE', currency: 'CNY', policyVersion: 'v4' });
    expect(granted!.data.limitMinor).toBeGreaterThan(0n);
    expect(granted!.data.reasons.length).toBeGreaterThan(0);
    expect(granted!.data.reasons[0]!.code).toMatch(/^LIMIT_/);
    expect(granted!.source).toBe('/lendstream/underwriter');

    const stockout = ofMerchant(merchantOf('stockout-prone'));
    const frozen = stockout.find((event) => (event.type as string) === 'credit-line.frozen');
    expect(frozen).toBeDefined();
    expect(frozen!.data.status).toBe('FROZEN');
    expect(frozen!.data.availableMinor).toBe(0n);
    expect(frozen!.data.reasons.some((found) => found.code.startsWith('STOCKOUT_'))).toBe(true);

    // The refund-heavy merchant never earns a line.
    expect(ofMerchant(merchantOf('refund-heavy'))).toEqual([]);
    // Every event is one decision's, once.
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });

  it('makes one decision and one event for a signal delivered twice', async () => {
    const merchantId = merchantOf('growing');
    const before = await kit.readToEnd(Topics.creditLines);
    // Four quiet days after the market's end: too few active days in the last 7, so the line is cut to 0 (one adjusted event).
    const signal = profileSignal(merchantId, '2026-08-12T00:00:00.000Z');
    await kit.produceEvents([signal, signal]);
    const check = await database.connect('uw-pipeline-dup', 1);
    await kit.waitFor('the underwriter to decide the signal', async () => {
      const rows = await check.query(
        `SELECT count(*)::int AS decisions FROM credit_decisions WHERE trigger_id = $1 AND NOT shadow`,
        [signal.id],
      );
      return (
        rows[0].decisions > 0 && (await hasCaughtUp(kit, kit.groupId('underwriter'), [Topics.profileChanged]))
      );
    });
    const [decision] = await check.query(
      `SELECT count(*)::int AS decisions, max(event_type) AS event_type FROM credit_decisions
       WHERE trigger_id = $1 AND NOT shadow`,
      [signal.id],
    );
    expect(decision).toEqual({ decisions: 1, event_type: 'credit-line.adjusted' });
    await kit.waitFor('the outbox to drain', async () => {
      const [pending] = await check.query(
        `SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`,
      );
      return pending.pending === 0;
    });
    const after = decodeCreditLines(await kit.readToEnd(Topics.creditLines));
    const fresh = after.slice(before.length).filter((event) => event.subject === merchantId);
    expect(fresh.map((event) => event.type)).toEqual(['credit-line.adjusted']);
    // The app's shadow lane decides the challenger after it: the merchant's newest live decision
    // always gets its twin, however many older ones a busy batch coalesced.
    await kit.waitFor('the shadow lane to decide the signal', async () => {
      const [queue] = await check.query(`SELECT count(*)::int AS queued FROM shadow_decision_queue`);
      return queue.queued === 0;
    });
    const shadows = await check.query(
      `SELECT policy_version FROM credit_decisions WHERE trigger_id = $1 AND shadow`,
      [signal.id],
    );
    expect(shadows).toEqual([{ policy_version: 'v4-challenger' }]);
  });
});
