/**
 * The replays and the policy diff on real decisions: a small simulated market through the real
 * profiler and underwriter, then the script functions in-process against its database,
 * namespace and a fresh key prefix.
 */
import { CHALLENGER_POLICY_VERSIONS } from '@lendstream/credit';
import { merchantRoster } from '@lendstream/simulation';
import type { DataSource } from 'typeorm';
import { ALL_MERCHANTS, runPolicyDiff } from '../../scripts/policy/policy-diff';
import { runReplayDecisions } from '../../scripts/replay/replay-decisions';
import { runReplayProfiles } from '../../scripts/replay/replay-profiles';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../profile/support/redis-namespace';
import { KafkaTestKit } from '../support/kafka-helpers';
import { testEndpoints } from '../support/env';
import { UnderwriterTestDatabase } from '../underwriter/support/underwriter-database';
import { PIPELINE_TOPICS, PipelineServices, runMarket, startPipeline } from './support/market-pipeline';

jest.setTimeout(300_000);

const MARKET = {
  seed: 'replay',
  merchants: 4,
  days: 60,
  start: '2026-05-01',
  archetypeMix: { steady: 1, growing: 1, 'stockout-prone': 1, 'refund-heavy': 1 },
} as const;

/** Whether a stored line lends: the same rule as the diff's, written as SQL for an independent count. */
const GRANTED = (line: string) => `(${line}->>'status' = 'ACTIVE' AND (${line}->>'limitMinor')::numeric > 0)`;

describe('replay and policy diff', () => {
  let kit: KafkaTestKit;
  let database: UnderwriterTestDatabase;
  let services: PipelineServices | undefined;
  let check: DataSource;
  const redis = connectRedis();
  const keyPrefix = uniqueKeyPrefix('rpl');

  beforeAll(async () => {
    kit = await KafkaTestKit.create('replay', PIPELINE_TOPICS, { partitions: 2 });
    database = await UnderwriterTestDatabase.create('replay');
    services = await startPipeline(kit, database, keyPrefix);
    await runMarket(kit, MARKET);
    check = await database.connect('replay-check', 1);
    // The challengers decide after the live decisions (the shadow lane): let them catch up.
    await kit.waitFor('the shadow lane to drain', async () => {
      const [queue] = await check.query(`SELECT count(*)::int AS queued FROM shadow_decision_queue`);
      return queue.queued === 0;
    });
    // Stopped before the replays: what they check must not move under them.
    await services.underwriter.stop();
    await services.profiler.stop();
  });

  afterAll(async () => {
    await services?.underwriter.stop().catch(() => undefined);
    await services?.profiler.stop().catch(() => undefined);
    await kit?.cleanup();
    await database?.cleanup();
    await deleteKeysUnder(redis, keyPrefix).catch(() => undefined);
    await redis.quit();
  });

  const countOf = async (sql: string, parameters: unknown[] = []): Promise<number> =>
    Number((await check.query(sql, parameters))[0].count);

  it('recomputes every stored decision, live and shadow, with no mismatch', async () => {
    const total = await countOf(`SELECT count(*) FROM credit_decisions`);
    const shadow = await countOf(`SELECT count(*) FROM credit_decisions WHERE shadow`);
    expect(shadow).toBeGreaterThan(0);
    // A small page, so the scan crosses many page boundaries and would count a row twice if its cursor slipped.
    const report = await runReplayDecisions({ databaseUrl: database.url, pageSize: 7 });
    expect(report).toMatchObject({ checked: total, matches: total, mismatches: 0, shadow, samples: [] });
  });

  it('rebuilds the profiles from the topics into a fresh prefix and reproduces every live decision', async () => {
    const merchants = await countOf(
      `SELECT count(DISTINCT merchant_id) FROM credit_decisions WHERE NOT shadow`,
    );
    const live = await countOf(`SELECT count(*) FROM credit_decisions WHERE NOT shadow`);
    expect(live).toBeGreaterThan(merchants);
    const report = await runReplayProfiles({
      databaseUrl: database.url,
      redisUrl: testEndpoints.redisUrl,
      brokers: testEndpoints.kafkaBrokers,
      topicNamespace: kit.namespace,
      fromPrefix: keyPrefix,
      pageSize: 3,
    });
    expect(report.samples).toEqual([]);
    expect(report).toMatchObject({
      checked: live,
      mismatches: 0,
      featureDifferences: 0,
      keptPrefix: null,
      skipped: {},
      newest: { checked: merchants, matches: merchants, mismatches: 0 },
    });
    // Every older decision is checked one way or the other: whole as of its instant (its day was
    // complete when it was made) or on the days before it (its day was still arriving).
    expect(report.older.matches + report.olderSettledDays.matches).toBe(live - merchants);
    expect(report.rebuild.eventsAccepted).toBeGreaterThan(0);
    // The fresh prefix is gone; the live one is untouched.
    const [, leftover] = await redis.scan('0', 'MATCH', `${report.rebuild.keyPrefix}:*`, 'COUNT', 1000);
    expect(leftover).toEqual([]);
    expect(await redis.exists(`${keyPrefix}:{${merchantRoster(MARKET)[0]!.merchantId}}:p`)).toBe(1);
  });

  it('compares shadow decisions with their live twins by archetype, agreeing with SQL', async () => {
    const report = await runPolicyDiff({ databaseUrl: database.url, market: MARKET, pageSize: 5 });
    const all = report.groups.find((group) => group.group === ALL_MERCHANTS)!;
    const pairs = `FROM credit_decisions s JOIN credit_decisions l
      ON NOT l.shadow AND l.trigger_id = s.trigger_id AND l.merchant_id = s.merchant_id
      WHERE s.shadow AND s.policy_version = '${report.challenger}'`;
    expect(report.challenger).toBe(CHALLENGER_POLICY_VERSIONS[0]);
    expect(all.pairs).toBe(await countOf(`SELECT count(*) ${pairs}`));
    // Informative in a 60-day market: the challenger's tenure (45 days) lets it lend too.
    expect(all.grantedByBoth).toBeGreaterThan(0);
    expect(all.flipsToGranted).toBe(
      await countOf(`SELECT count(*) ${pairs} AND NOT ${GRANTED('l.resulting_state')} IS TRUE
        AND ${GRANTED('s.resulting_state')} IS TRUE`),
    );
    expect(all.flipsToDeclined).toBe(
      await countOf(`SELECT count(*) ${pairs} AND ${GRANTED('l.resulting_state')} IS TRUE
        AND NOT ${GRANTED('s.resulting_state')} IS TRUE`),
    );
    expect(all.ratesUp + all.ratesDown).toBe(
      await countOf(`SELECT count(*) ${pairs} AND ${GRANTED('l.resulting_state')} IS TRUE
        AND ${GRANTED('s.resulting_state')} IS TRUE
        AND (l.resulting_state->>'dailyRateBps')::int <> (s.resulting_state->>'dailyRateBps')::int`),
    );
    const archetypes = report.groups.filter((group) => group.group !== ALL_MERCHANTS);
    expect(archetypes.map((group) => group.group)).not.toContain('unknown');
    expect(archetypes.reduce((sum, group) => sum + group.pairs, 0)).toBe(all.pairs);
  });

  // Last: it tampers with a stored decision.
  it('reports a decision whose stored features were tampered with, and fails', async () => {
    const [granted] = await check.query(
      `SELECT decision_id FROM credit_decisions
       WHERE NOT shadow AND ${GRANTED('resulting_state')} ORDER BY decided_at DESC LIMIT 1`,
    );
    expect(granted).toBeDefined();
    // A month of stock-outs (in the 90-day window too, so the profile stays well-formed): a hard freeze trigger, so the recomputed line cannot be the stored one.
    await check.query(
      `UPDATE credit_decisions
       SET features = jsonb_set(jsonb_set(features, '{windows,30,stockouts}', '1000'), '{windows,90,stockouts}', '1000')
       WHERE decision_id = $1`,
      [granted.decision_id],
    );
    const report = await runReplayDecisions({ databaseUrl: database.url });
    expect(report.mismatches).toBeGreaterThanOrEqual(1);
    expect(report.samples.map((sample) => sample.decisionId)).toContain(granted.decision_id);
    // The policy ran and concluded otherwise; the record was readable.
    expect(report.samples[0]!.differences.join('\n')).toContain('$.outputs');
  });

  // After the tampering above (which it leaves alone): an older decision, not a merchant's newest.
  it('reports an older decision whose stored features disagree with the rebuilt profile on past days', async () => {
    const [older] = await check.query(
      `SELECT d.decision_id, d.features FROM credit_decisions d
       WHERE NOT d.shadow AND d.features IS NOT NULL
         AND (d.features->'windows'->'30'->>'refunds')::int > (d.features->'windows'->'1'->>'refunds')::int
         AND d.decision_id <> (SELECT n.decision_id FROM credit_decisions n
                               WHERE NOT n.shadow AND n.merchant_id = d.merchant_id
                               ORDER BY n.decided_at DESC, n.recorded_at DESC LIMIT 1)
       ORDER BY d.decided_at LIMIT 1`,
    );
    expect(older).toBeDefined();
    // One refund more on a day before asOf's (in the 30- and 90-day windows, so they stay nested).
    await check.query(
      `UPDATE credit_decisions SET features = jsonb_set(jsonb_set(features,
         '{windows,30,refunds}', to_jsonb((features->'windows'->'30'->>'refunds')::int + 1)),
         '{windows,90,refunds}', to_jsonb((features->'windows'->'90'->>'refunds')::int + 1))
       WHERE decision_id = $1`,
      [older.decision_id],
    );
    try {
      const report = await runReplayProfiles({
        databaseUrl: database.url,
        redisUrl: testEndpoints.redisUrl,
        brokers: testEndpoints.kafkaBrokers,
        topicNamespace: kit.namespace,
        fromPrefix: keyPrefix,
      });
      const tampered = report.samples.find((sample) => sample.decisionId === older.decision_id);
      expect(tampered).toBeDefined();
      expect(tampered!.differences.join('\n')).toMatch(/\.30\.refunds/);
      expect(report.newest.mismatches).toBe(0);
    } finally {
      await check.query(`UPDATE credit_decisions SET features = $2 WHERE decision_id = $1`, [
        older.decision_id,
        older.features,
      ]);
    }
  });
});
