/**
 * The real profiler (apps/profiler/src/main.ts, a child process) with its health and metrics
 * listener: after known traffic its /metrics counts exactly the events consumed by type, the
 * dead letters by reason and a lag of 0; its log lines are JSON and name the dead-lettered
 * event; /health/ready checks Kafka and Redis (and nothing else), answers 503 naming Redis while
 * Redis is unreachable (a TCP proxy in front of the real Redis, cut) and 200 again once it is back.
 */
import { createEvent, DeadLetterReason, Topics, type CloudEvent } from '@lendstream/contracts';
import { testEndpoints } from '../support/env';
import { KafkaTestKit } from '../support/kafka-helpers';
import { ProfilerProcess } from '../profile/support/profiler-process';
import { PROFILER_TEST_TOPICS } from '../profile/support/kafka-market';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../profile/support/redis-namespace';
import { jsonLines, ObservedEndpoint, sampleValue } from './support/observed-app';
import { freePort, hostAndPortOf, TcpProxy, throughProxy } from './support/tcp-proxy';

jest.setTimeout(180_000);

const order = (
  type: 'order.placed' | 'order.paid' | 'order.refunded',
  id: string,
  merchantId: string,
  currency = 'CNY',
): CloudEvent =>
  createEvent({
    type,
    id,
    source: '/platform/orders',
    time: '2026-11-11T08:00:00.000Z',
    data: { merchantId, orderId: `o-${id}`, amountMinor: 12_900n, currency },
  });

describe('profiler observability (real profiler, Kafka, Redis behind a proxy)', () => {
  let kit: KafkaTestKit;
  let redisProxy: TcpProxy;
  let profiler: ProfilerProcess;
  let endpoint: ObservedEndpoint;
  let groupId: string;
  const prefix = uniqueKeyPrefix('obs');

  beforeAll(async () => {
    kit = await KafkaTestKit.create('obs-profiler', PROFILER_TEST_TOPICS);
    redisProxy = await TcpProxy.start(hostAndPortOf(testEndpoints.redisUrl, 6379));
    // Five valid events (one of them a refund in a currency the merchant never used: rejected
    // by the profile on a business rule) and one record that is not JSON: six offsets.
    await kit.produceEvents([
      order('order.placed', 'obs-1', 'm-obs-a'),
      order('order.paid', 'obs-2', 'm-obs-a'),
      order('order.paid', 'obs-3', 'm-obs-b'),
      order('order.paid', 'obs-4', 'm-obs-a'),
      order('order.refunded', 'obs-foreign', 'm-obs-a', 'USD'),
    ]);
    await kit.produce(Topics.orders, [{ key: 'm-obs-a', value: 'order paid!' }]);
    const port = await freePort();
    groupId = kit.groupId('profiler');
    profiler = await ProfilerProcess.start({
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
      PROFILER_GROUP_ID: groupId,
      PROFILE_KEY_PREFIX: prefix,
      REDIS_URL: throughProxy(testEndpoints.redisUrl, redisProxy),
      PROFILER_HTTP_PORT: String(port),
    });
    endpoint = new ObservedEndpoint(`http://127.0.0.1:${port}`);
    await kit.waitFor(
      'the profiler to commit every order',
      async () => (await kit.committedOffsets(groupId, Topics.orders)).get(0) === '6',
      60_000,
    );
  });

  afterAll(async () => {
    await redisProxy?.restore().catch(() => undefined);
    await profiler?.stop().catch(() => undefined);
    await redisProxy?.cut();
    await kit?.cleanup();
    const redis = connectRedis();
    await deleteKeysUnder(redis, prefix).finally(() => redis.quit());
  });

  it('counts the events consumed by type, the dead letters by reason, and no lag left', async () => {
    const samples = await endpoint.metrics();
    const consumed = (type: string) =>
      sampleValue(samples, 'lendstream_events_consumed_total', {
        service: 'profiler',
        topic: Topics.orders,
        type,
      });
    expect([consumed('order.placed'), consumed('order.paid'), consumed('order.refunded')]).toEqual([1, 3, 1]);
    const deadLetters = (reason: string) =>
      sampleValue(samples, 'lendstream_dead_letters_total', { topic: Topics.orders, reason });
    expect(deadLetters(DeadLetterReason.NOT_JSON)).toBe(1);
    expect(deadLetters(DeadLetterReason.CURRENCY_MISMATCH)).toBe(1);
    expect(
      sampleValue(samples, 'lendstream_consumer_lag', {
        group: groupId,
        topic: Topics.orders,
        partition: '0',
      }),
    ).toBe(0);
    // The Node process's standard metrics come with the app's label too.
    expect(sampleValue(samples, 'process_cpu_seconds_total', { service: 'profiler' })).toBeGreaterThan(0);
  });

  it('writes every log line as one JSON object, and names the dead-lettered event on its line', () => {
    const lines = jsonLines(profiler);
    for (const line of lines) {
      expect(line).toMatchObject({
        service: 'profiler',
        time: expect.any(String),
        level: expect.any(String),
      });
      expect(typeof line.message).toBe('string');
    }
    const deadLettered = lines.filter((line) => line.message === 'Dead-lettered records');
    const named = deadLettered.flatMap((line) => line.first as Array<Record<string, unknown>>);
    expect(named).toContainEqual(
      expect.objectContaining({ eventId: 'obs-foreign', reason: DeadLetterReason.CURRENCY_MISMATCH }),
    );
    expect(deadLettered[0]).toMatchObject({ topic: kit.topic(Topics.orders), partition: 0 });
  });

  it('is ready with Kafka and Redis up, 503 naming Redis while Redis is unreachable, and ready again after', async () => {
    expect(await endpoint.get('/health/live')).toMatchObject({ status: 200, body: { status: 'live' } });
    const ready = await endpoint.waitForReadiness(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { kafka: { status: 'up' }, redis: { status: 'up' } },
    });

    await redisProxy.cut();
    const down = await endpoint.waitForReadiness(503);
    expect(down.body).toMatchObject({
      error: { code: 'NOT_READY', message: expect.stringMatching(/^Not ready: redis is down \(.+\)$/) },
      checks: { kafka: { status: 'up' }, redis: { status: 'down' } },
    });

    await redisProxy.restore();
    await endpoint.waitForReadiness(200);
  });
});
