/**
 * The profiler end to end: simulated marketplace events through real Kafka topics, the real
 * profiler process (apps/profiler/src/main.ts), real Redis; each merchant's profile must equal
 * the plain reference implementation's, computed from the same events.
 */
import type Redis from 'ioredis';
import {
  createEvent,
  DeadLetterHeaders,
  DeadLetterReason,
  Topics,
  type ProfileInputEvent,
  type TopicName,
} from '@lendstream/contracts';
import { ProfileState, RedisProfileStore } from '@lendstream/profile';
import { simulateMarket } from '@lendstream/simulation';
import { KafkaTestKit, ReadRecord } from '../support/kafka-helpers';
import { comparableProfile } from './support/comparable-profile';
import {
  hasCaughtUp,
  PROFILE_INPUT_TOPICS,
  PROFILER_TEST_TOPICS,
  produceInBulk,
} from './support/kafka-market';
import { ProfilerProcess } from './support/profiler-process';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from './support/redis-namespace';
import { referenceProfile } from './support/reference-profile';
import { hostAndPortOf, TcpProxy, throughProxy } from '../observability/support/tcp-proxy';
import { testEndpoints } from '../support/env';

jest.setTimeout(240_000);

const CATCH_UP_TIMEOUT_MS = 150_000;

interface MarketMessage {
  readonly topic: TopicName;
  readonly event: ProfileInputEvent;
}

function simulatedMarket(seed: string): MarketMessage[] {
  return [
    ...simulateMarket({
      seed,
      merchants: 4,
      days: 100,
      start: '2026-05-01',
      archetypeMix: { steady: 1, 'refund-heavy': 1, 'stockout-prone': 1, 'late-shipper': 1 },
      lateEventShare: 0.05,
    }),
  ].map(({ topic, event }) => ({ topic, event }));
}

const merchantsOf = (messages: readonly MarketMessage[]) =>
  [...new Set(messages.map(({ event }) => event.data.merchantId))].sort();
const eventsOf = (messages: readonly MarketMessage[], merchantId: string) =>
  messages.filter(({ event }) => event.data.merchantId === merchantId).map(({ event }) => event);
const newestTimeOf = (events: readonly ProfileInputEvent[]) =>
  new Date(Math.max(...events.map((event) => Date.parse(event.time))));
const signalsOf = (records: readonly ReadRecord[]) =>
  records.map(
    (record) =>
      JSON.parse(record.value!.toString()) as { id: string; subject: string; data: { asOf: string } },
  );

describe('profiler (Kafka → profiler process → Redis)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(() => redis.quit());

  describe('a simulated market, then the same log again', () => {
    let kit: KafkaTestKit;
    const prefix = uniqueKeyPrefix('e2e');
    const market = simulatedMarket('profiler-e2e');
    const merchants = merchantsOf(market);
    // One money event in a currency the merchant never used: dead-lettered, never applied.
    const foreign = createEvent({
      type: 'order.refunded',
      id: 'foreign-currency-refund',
      source: '/platform/orders',
      time: '2026-07-01T12:00:00.000Z',
      data: { merchantId: merchants[0]!, orderId: 'o-foreign', amountMinor: 5_000n, currency: 'USD' },
    });
    let store: RedisProfileStore;
    let firstRunProfiles: (ProfileState | null)[];

    beforeAll(async () => {
      kit = await KafkaTestKit.create('profiler', PROFILER_TEST_TOPICS, { partitions: 3 });
      store = new RedisProfileStore(redis, { keyPrefix: prefix });
      await produceInBulk(kit, [...market, { topic: Topics.orders, event: foreign }]);
    });
    afterAll(async () => {
      await kit.cleanup();
      await deleteKeysUnder(redis, prefix);
    });

    const runProfiler = async (groupLabel: string): Promise<ProfilerProcess> => {
      const groupId = kit.groupId(groupLabel);
      const profiler = await ProfilerProcess.start({
        PROFILE_KEY_PREFIX: prefix,
        KAFKA_TOPIC_NAMESPACE: kit.namespace,
        PROFILER_GROUP_ID: groupId,
      });
      try {
        await kit.waitFor(
          'the profiler to consume every input',
          () => hasCaughtUp(kit, groupId, PROFILE_INPUT_TOPICS),
          CATCH_UP_TIMEOUT_MS,
        );
      } finally {
        await profiler.stop();
      }
      expect(profiler.exit).toEqual({ code: 0, signal: null });
      return profiler;
    };

    it('builds every merchant profile exactly as the reference computes it from the same events', async () => {
      await runProfiler('first');
      for (const merchantId of merchants) {
        const events = eventsOf(market, merchantId);
        const asOf = newestTimeOf(events);
        const profile = await store.readWindows(merchantId, asOf);
        expect(profile).not.toBeNull();
        expect(comparableProfile(profile!)).toEqual(referenceProfile(events, asOf));
        expect(profile!.coverage).toMatchObject({
          windowsExact: true,
          receivablesExact: true,
          overflowed: false,
        });
      }
      firstRunProfiles = await Promise.all(merchants.map((merchantId) => store.readProfile(merchantId)));
    });

    it('dead-letters the foreign-currency event and applies nothing of it', async () => {
      const deadLetters = await kit.readToEnd(Topics.deadLetters);
      expect(deadLetters.map((record) => record.headers[DeadLetterHeaders.reason])).toEqual([
        DeadLetterReason.CURRENCY_MISMATCH,
      ]);
      expect(JSON.parse(deadLetters[0]!.value!.toString()).id).toBe('foreign-currency-refund');
    });

    it('signals every merchant, debounced, with its newest event time as the last asOf', async () => {
      const signals = signalsOf(await kit.readToEnd(Topics.profileChanged));
      expect(new Set(signals.map((signal) => signal.id)).size).toBe(signals.length);
      expect(signals.length).toBeLessThan(market.length / 4);
      for (const merchantId of merchants) {
        const asOfs = signals
          .filter((signal) => signal.subject === merchantId)
          .map((signal) => Date.parse(signal.data.asOf));
        expect(new Date(Math.max(...asOfs))).toEqual(newestTimeOf(eventsOf(market, merchantId)));
      }
    });

    it('counts nothing twice when the whole log is consumed again, and signals again under the same ids', async () => {
      const signalsBefore = signalsOf(await kit.readToEnd(Topics.profileChanged));
      await runProfiler('second');
      expect(await Promise.all(merchants.map((merchantId) => store.readProfile(merchantId)))).toEqual(
        firstRunProfiles,
      );
      // The mismatch is reported again on redelivery, so its dead letter can never be lost.
      const deadLetters = await kit.readToEnd(Topics.deadLetters);
      expect(deadLetters.map((record) => record.headers[DeadLetterHeaders.reason])).toEqual([
        DeadLetterReason.CURRENCY_MISMATCH,
        DeadLetterReason.CURRENCY_MISMATCH,
      ]);
      const signalsAfter = signalsOf(await kit.readToEnd(Topics.profileChanged)).slice(signalsBefore.length);
      expect(signalsAfter.length).toBeGreaterThan(0);
      const asOfById = new Map(signalsBefore.map((signal) => [signal.id, signal.data.asOf]));
      for (const signal of signalsAfter) {
        if (asOfById.has(signal.id)) expect(signal.data.asOf).toBe(asOfById.get(signal.id));
      }
    });
  });

  // The outage is the profiler's alone: its Redis connection runs through a proxy that is cut,
  // never the shared server paused (CLIENT PAUSE stalled every other suite running beside it:
  // the dashboard's API answered 503 while it lasted).
  it('retries through a Redis outage (its connection cut for 4 s) with no dead letter and no loss', async () => {
    const redisProxy = await TcpProxy.start(hostAndPortOf(testEndpoints.redisUrl, 6379));
    const kit = await KafkaTestKit.create('profiler-pause', PROFILER_TEST_TOPICS, { partitions: 2 });
    const prefix = uniqueKeyPrefix('pause');
    const market = simulatedMarket('profiler-pause');
    const groupId = kit.groupId('profiler');
    let profiler: ProfilerProcess | undefined;
    try {
      const half = Math.floor(market.length / 2);
      await produceInBulk(kit, market.slice(0, half));
      profiler = await ProfilerProcess.start({
        PROFILE_KEY_PREFIX: prefix,
        KAFKA_TOPIC_NAMESPACE: kit.namespace,
        PROFILER_GROUP_ID: groupId,
        REDIS_COMMAND_TIMEOUT_MS: '500',
        REDIS_URL: throughProxy(testEndpoints.redisUrl, redisProxy),
      });
      await kit.waitFor(
        'the first half',
        () => hasCaughtUp(kit, groupId, PROFILE_INPUT_TOPICS),
        CATCH_UP_TIMEOUT_MS,
      );
      // Redis is unreachable for 4 s; the profiler's calls fail meanwhile, and are retried.
      await redisProxy.cut();
      const restored = new Promise((resolve) => setTimeout(resolve, 4_000)).then(() => redisProxy.restore());
      await produceInBulk(kit, market.slice(half));
      await restored;
      await kit.waitFor(
        'the second half',
        () => hasCaughtUp(kit, groupId, PROFILE_INPUT_TOPICS),
        CATCH_UP_TIMEOUT_MS,
      );
      await profiler.stop();
      expect(profiler.logged('retrying the same chunk')).toBe(true);
      expect(await kit.readToEnd(Topics.deadLetters)).toEqual([]);
      const store = new RedisProfileStore(redis, { keyPrefix: prefix });
      for (const merchantId of merchantsOf(market)) {
        const events = eventsOf(market, merchantId);
        const asOf = newestTimeOf(events);
        expect(comparableProfile((await store.readWindows(merchantId, asOf))!)).toEqual(
          referenceProfile(events, asOf),
        );
      }
    } finally {
      await redisProxy.restore().catch(() => undefined);
      await profiler?.stop().catch(() => undefined);
      await redisProxy.cut();
      await kit.cleanup();
      await deleteKeysUnder(redis, prefix);
    }
  });
});
