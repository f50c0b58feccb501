/**
 * Issue 5's "/metrics exposes each metric named above after a simulated run": a small simulated
 * market through the real profiler, underwriter and lending (child processes, each with its
 * health and metrics listener), plus one record that is not JSON. Then each app's /metrics is
 * checked against what was sent: the events consumed by topic and type exactly, the dead
 * letter by reason in both apps that consume the orders, no lag left on any partition, the
 * underwriter's decision latency for its decisions, the outbox drained, every app ready.
 */
import { DeadLetterReason, Topics, type TopicName } from '@lendstream/contracts';
import { simulateMarket } from '@lendstream/simulation';
import { hasCaughtUp, PROFILE_INPUT_TOPICS } from '../profile/support/kafka-market';
import { ProfilerProcess } from '../profile/support/profiler-process';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../profile/support/redis-namespace';
import { LendingProcess } from '../lending/support/lending-process';
import { KafkaTestKit } from '../support/kafka-helpers';
import type { ServiceProcess } from '../support/service-process';
import { runMarket } from '../underwriter/support/run-market';
import { UnderwriterTestDatabase } from '../underwriter/support/underwriter-database';
import { UnderwriterProcess } from '../underwriter/support/underwriter-process';
import { type MetricSample, ObservedEndpoint, sampleValue } from './support/observed-app';
import { freePort } from './support/tcp-proxy';

jest.setTimeout(600_000);

const TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.deadLetters,
  Topics.profileChanged,
  Topics.creditLines,
  Topics.loans,
  Topics.treasury,
  Topics.drawdownRequests,
  Topics.disbursements,
  Topics.repayments,
];
const MARKET = {
  seed: 'obs-simulated-run',
  merchants: 3,
  days: 35,
  start: '2026-05-01',
  archetypeMix: { steady: 1, growing: 1, 'refund-heavy': 1 },
} as const;

/** `topic → type → count` of the market's events. */
function countsByTopicAndType(): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const { topic, event } of simulateMarket(MARKET)) {
    const byType = counts.get(topic) ?? new Map<string, number>();
    byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
    counts.set(topic, byType);
  }
  return counts;
}

const consumedOf = (samples: readonly MetricSample[], topic: string): Map<string, number> =>
  new Map(
    samples
      .filter((sample) => sample.name === 'lendstream_events_consumed_total' && sample.labels.topic === topic)
      .map((sample) => [sample.labels.type!, sample.value]),
  );

describe('metrics after a simulated run (profiler, underwriter, lending)', () => {
  let kit: KafkaTestKit;
  let database: UnderwriterTestDatabase;
  const keyPrefix = uniqueKeyPrefix('obsrun');
  const services: ServiceProcess[] = [];
  const endpoints: Record<'profiler' | 'underwriter' | 'lending', ObservedEndpoint> = {} as never;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('obs-run', TOPICS, { partitions: 2 });
    database = await UnderwriterTestDatabase.create('obs_run');
    const shared = { KAFKA_TOPIC_NAMESPACE: kit.namespace, PROFILE_KEY_PREFIX: keyPrefix };
    const ports = { profiler: await freePort(), underwriter: await freePort(), lending: await freePort() };
    services.push(
      await ProfilerProcess.start({
        ...shared,
        PROFILER_GROUP_ID: kit.groupId('profiler'),
        PROFILER_HTTP_PORT: String(ports.profiler),
      }),
      await UnderwriterProcess.start({
        ...shared,
        DATABASE_URL: database.url,
        UNDERWRITER_GROUP_ID: kit.groupId('underwriter'),
        SILENCE_SWEEP_INTERVAL_MS: '0',
        UNDERWRITER_HTTP_PORT: String(ports.underwriter),
      }),
      await LendingProcess.start({
        KAFKA_TOPIC_NAMESPACE: kit.namespace,
        DATABASE_URL: database.url,
        LENDING_GROUP_ID: kit.groupId('lending'),
        LENDING_REVIEW_INTERVAL_MS: '0',
        LENDING_HTTP_PORT: String(ports.lending),
      }),
    );
    for (const app of ['profiler', 'underwriter', 'lending'] as const)
      endpoints[app] = new ObservedEndpoint(`http://127.0.0.1:${ports[app]}`);

    await kit.produce(Topics.orders, [{ key: 'm-obs-run', value: 'order paid!', partition: 0 }]);
    await runMarket(kit, MARKET);
    await kit.waitFor(
      'lending to consume every order',
      () => hasCaughtUp(kit, kit.groupId('lending'), [Topics.orders]),
      120_000,
    );
  });

  afterAll(async () => {
    for (const service of services) await service.stop().catch(() => undefined);
    await kit?.cleanup();
    await database?.cleanup();
    const redis = connectRedis();
    await deleteKeysUnder(redis, keyPrefix).finally(() => redis.quit());
  });

  it('counts every input event the profiler consumed, by topic and type, and the dead letter', async () => {
    const samples = await endpoints.profiler.metrics();
    const expected = countsByTopicAndType();
    for (const topic of PROFILE_INPUT_TOPICS) expect(consumedOf(samples, topic)).toEqual(expected.get(topic));
    expect(
      sampleValue(samples, 'lendstream_dead_letters_total', {
        topic: Topics.orders,
        reason: DeadLetterReason.NOT_JSON,
      }),
    ).toBe(1);
    const lags = samples.filter((sample) => sample.name === 'lendstream_consumer_lag');
    // Two partitions of each of the three inputs, all caught up.
    expect(lags.length).toBe(6);
    expect(
      lags.every((sample) => sample.value === 0 && sample.labels.group === kit.groupId('profiler')),
    ).toBe(true);
  });

  it("counts the underwriter's signals, observes its decisions' latency, and reads its drained outbox", async () => {
    const signals = await kit.readToEnd(Topics.profileChanged);
    await endpoints.underwriter.waitForReadiness(200);
    await kit.waitFor('the outbox to drain', async () => {
      const samples = await endpoints.underwriter.metrics();
      return sampleValue(samples, 'lendstream_outbox_pending_rows') === 0;
    });
    const samples = await endpoints.underwriter.metrics();
    expect(consumedOf(samples, Topics.profileChanged)).toEqual(
      new Map([['profile.changed', signals.length]]),
    );
    const decisions = sampleValue(samples, 'lendstream_decision_latency_seconds_count', {
      trigger: 'signal',
    })!;
    expect(decisions).toBeGreaterThan(0);
    expect(decisions).toBeLessThanOrEqual(signals.length);
    expect(sampleValue(samples, 'lendstream_outbox_oldest_pending_age_seconds')).toBe(0);
    expect((await kit.readToEnd(Topics.creditLines)).length).toBeGreaterThan(0);
  });

  it("counts lending's orders by type (the types it ignores too) and the same dead letter", async () => {
    const samples = await endpoints.lending.metrics();
    expect(consumedOf(samples, Topics.orders)).toEqual(countsByTopicAndType().get(Topics.orders));
    expect(
      sampleValue(samples, 'lendstream_dead_letters_total', {
        topic: Topics.orders,
        reason: DeadLetterReason.NOT_JSON,
      }),
    ).toBe(1);
    expect(sampleValue(samples, 'lendstream_outbox_pending_rows')).toBe(0);
    expect((await endpoints.lending.waitForReadiness(200)).body).toMatchObject({ status: 'ready' });
  });
});
