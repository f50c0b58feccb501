/**
 * The real underwriter (apps/underwriter/src/main.ts, a child process) with its health and
 * metrics listener: three profile signals of recent event time make three decisions (the
 * merchants have no profile, so each is a fail-closed decision), which the decision latency
 * histogram observes, from the signals' event time to commit; the events consumed are counted
 * by type; /health/ready checks Kafka, Postgres and Redis, and names Postgres while it is
 * unreachable (a TCP proxy in front of the real server, cut).
 */
import { createEvent, Topics, type CloudEvent, type TopicName } from '@lendstream/contracts';
import { KafkaTestKit } from '../support/kafka-helpers';
import { UnderwriterTestDatabase } from '../underwriter/support/underwriter-database';
import { UnderwriterProcess } from '../underwriter/support/underwriter-process';
import { uniqueKeyPrefix } from '../profile/support/redis-namespace';
import { jsonLines, ObservedEndpoint, sampleValue } from './support/observed-app';
import { freePort, hostAndPortOf, TcpProxy, throughProxy } from './support/tcp-proxy';

jest.setTimeout(180_000);

const TOPICS: readonly TopicName[] = [
  Topics.profileChanged,
  Topics.creditLines,
  Topics.loans,
  Topics.deadLetters,
];
const SIGNAL_AGE_MS = 2_000;

const signal = (merchantId: string, time: string): CloudEvent =>
  createEvent({
    type: 'profile.changed',
    id: `obs-signal-${merchantId}`,
    source: '/lendstream/profiler',
    time,
    data: { merchantId, asOf: time },
  });

describe('underwriter observability (real underwriter, Kafka, Redis, Postgres behind a proxy)', () => {
  let kit: KafkaTestKit;
  let database: UnderwriterTestDatabase;
  let postgresProxy: TcpProxy;
  let underwriter: UnderwriterProcess;
  let endpoint: ObservedEndpoint;
  let publishedAt: number;
  let committedBy: number;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('obs-underwriter', TOPICS);
    database = await UnderwriterTestDatabase.create('observability');
    postgresProxy = await TcpProxy.start(hostAndPortOf(database.url, 5432));
    const port = await freePort();
    const groupId = kit.groupId('underwriter');
    underwriter = await UnderwriterProcess.start({
      DATABASE_URL: throughProxy(database.url, postgresProxy),
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
      UNDERWRITER_GROUP_ID: groupId,
      PROFILE_KEY_PREFIX: uniqueKeyPrefix('obs'),
      SILENCE_SWEEP_INTERVAL_MS: '0',
      BUDGET_SWEEP_INTERVAL_MS: '0',
      // Long enough that the pending lane leaves alone the row the gauge test plants.
      PENDING_DECISION_LINGER_MS: '600000',
      UNDERWRITER_HTTP_PORT: String(port),
    });
    endpoint = new ObservedEndpoint(`http://127.0.0.1:${port}`);
    publishedAt = Date.now();
    const time = new Date(publishedAt - SIGNAL_AGE_MS).toISOString();
    await kit.produceEvents(['m-obs-1', 'm-obs-2', 'm-obs-3'].map((merchantId) => signal(merchantId, time)));
    await kit.waitFor(
      'the underwriter to commit the three signals',
      async () => (await kit.committedOffsets(groupId, Topics.profileChanged)).get(0) === '3',
      60_000,
    );
    committedBy = Date.now();
  });

  afterAll(async () => {
    await postgresProxy?.restore().catch(() => undefined);
    await underwriter?.stop().catch(() => undefined);
    await postgresProxy?.cut();
    await kit?.cleanup();
    await database?.cleanup();
  });

  it('observes each decision from its signal’s event time to its commit, and counts the signals consumed', async () => {
    const samples = await endpoint.metrics();
    expect(
      sampleValue(samples, 'lendstream_events_consumed_total', {
        service: 'underwriter',
        topic: Topics.profileChanged,
        type: 'profile.changed',
      }),
    ).toBe(3);
    const latency = { service: 'underwriter', trigger: 'signal' };
    expect(sampleValue(samples, 'lendstream_decision_latency_seconds_count', latency)).toBe(3);
    const sumSeconds = sampleValue(samples, 'lendstream_decision_latency_seconds_sum', latency)!;
    // Each decision came at least SIGNAL_AGE_MS after its event time and no later than the commit was seen.
    expect(sumSeconds).toBeGreaterThanOrEqual((3 * SIGNAL_AGE_MS) / 1000);
    expect(sumSeconds).toBeLessThanOrEqual((3 * (committedBy - publishedAt + SIGNAL_AGE_MS)) / 1000);
    expect(
      sampleValue(samples, 'lendstream_decision_latency_seconds_bucket', { ...latency, le: '+Inf' }),
    ).toBe(3);
    expect(sampleValue(samples, 'lendstream_decision_latency_seconds_bucket', { ...latency, le: '1' })).toBe(
      0,
    );
    expect(
      sampleValue(samples, 'lendstream_outbox_pending_rows', { service: 'underwriter' }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('counts the merchants waiting for the pending lane, and how long the longest has', async () => {
    const pending = { service: 'underwriter' };
    // Three signals are below the batch size that defers anything: nothing waits.
    expect(sampleValue(await endpoint.metrics(), 'lendstream_pending_decisions', pending)).toBe(0);
    const db = await database.connect('obs-pending');
    try {
      await db.query(
        `INSERT INTO pending_decisions (merchant_id, as_of, trigger_source, trigger_id, signals, pending_since)
         VALUES ('m-obs-wait', now(), '/test', 'obs-wait', 3, clock_timestamp() - interval '90 seconds')`,
      );
      let samples = await endpoint.metrics();
      await kit.waitFor('the gauges to read the planted row', async () => {
        samples = await endpoint.metrics();
        return sampleValue(samples, 'lendstream_pending_decisions', pending) === 1;
      });
      expect(
        sampleValue(samples, 'lendstream_pending_decision_oldest_age_seconds', pending),
      ).toBeGreaterThanOrEqual(90);
    } finally {
      await db.query(`DELETE FROM pending_decisions WHERE merchant_id = 'm-obs-wait'`);
      await db.destroy();
    }
  });

  it('logs JSON lines only', () => {
    const lines = jsonLines(underwriter);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => String(line.message).startsWith('Underwriter is consuming (group '))).toBe(
      true,
    );
    expect(lines.every((line) => line.service === 'underwriter')).toBe(true);
  });

  it('is ready with Kafka, Postgres and Redis up, and 503 naming Postgres while it is unreachable', async () => {
    const ready = await endpoint.waitForReadiness(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { kafka: { status: 'up' }, postgres: { status: 'up' }, redis: { status: 'up' } },
    });
    await postgresProxy.cut();
    const down = await endpoint.waitForReadiness(503);
    expect(down.body).toMatchObject({
      error: { message: expect.stringMatching(/^Not ready: postgres is down \(.+\)$/) },
      checks: { kafka: { status: 'up' }, postgres: { status: 'down' }, redis: { status: 'up' } },
    });
    await postgresProxy.restore();
    await endpoint.waitForReadiness(200);
  });
});
