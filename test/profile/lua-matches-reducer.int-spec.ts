import fc from 'fast-check';
import type Redis from 'ioredis';
import type { ProfileInputEvent } from '@lendstream/contracts';
import { DEFAULT_PROFILE_RETENTION, ProfileState, RedisProfileStore } from '@lendstream/profile';
import { canonicalState, foldEvents } from '../../libs/profile/src/testing/profile-fold';
import {
  cancelled,
  delivered,
  dispatched,
  paid,
  profileEvent,
  refunded,
  restocked,
  returned,
  settled,
  snapshot,
  stockout,
} from '../../libs/profile/src/testing/profile-event-builders';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from './support/redis-namespace';
import { TopicLog } from './support/profile-batches';

/**
 * The Lua script must implement exactly the pure reducer (applyProfileDelta): random
 * streams over three topics (late events, trimming over 200 days, stock churn, a foreign
 * currency now and then), applied through Redis in random batches, decode to the state the
 * reducer computes from the same events in the same order.
 */
const START_MS = Date.parse('2026-03-01T00:00:00Z');
const SPAN_HOURS = 200 * 24;

const hour = fc.integer({ min: 0, max: SPAN_HOURS });
const amount = fc.oneof(fc.bigInt({ min: 0n, max: 30n }), fc.bigInt({ min: 0n, max: 10n ** 7n }));
const currency = fc.constantFrom('CNY', 'CNY', 'CNY', 'CNY', 'USD');
const sku = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const warehouse = fc.constantFrom('wh-1', 'wh-2', 'wh-3');

const eventAt = (hours: number, minutes: number) =>
  new Date(START_MS + hours * 3_600_000 + minutes * 60_000).toISOString();

const anEvent = (merchantId: string): fc.Arbitrary<(minutes: number) => ProfileInputEvent> =>
  fc.oneof(
    fc.tuple(hour, amount, currency).map(
      ([h, a, c]) =>
        (m: number) =>
          paid(eventAt(h, m), a, { merchantId, currency: c }),
    ),
    fc.tuple(hour, amount, currency).map(
      ([h, a, c]) =>
        (m: number) =>
          refunded(eventAt(h, m), a, { merchantId, currency: c }),
    ),
    fc.tuple(hour, amount).map(
      ([h, a]) =>
        (m: number) =>
          settled(eventAt(h, m), a, { merchantId }),
    ),
    fc.tuple(hour, amount).map(
      ([h, a]) =>
        (m: number) =>
          profileEvent(
            'order.placed',
            eventAt(h, m),
            { orderId: 'o', amountMinor: a, currency: 'CNY' },
            { merchantId },
          ),
    ),
    hour.map((h) => (m: number) => cancelled(eventAt(h, m), { merchantId })),
    hour.map((h) => (m: number) => dispatched(eventAt(h, m), eventAt(h + 30, 0), { merchantId })),
    fc.tuple(hour, fc.integer({ min: -5, max: 5 })).map(
      ([h, late]) =>
        (m: number) =>
          delivered(eventAt(h, m), eventAt(h - late, m), { merchantId }),
    ),
    hour.map((h) => (m: number) => returned(eventAt(h, m), { merchantId })),
    fc.tuple(hour, warehouse, fc.integer({ min: 0, max: 5000 }), amount).map(
      ([h, w, units, a]) =>
        (m: number) =>
          snapshot(eventAt(h, m), w, units, a, { merchantId }),
    ),
    fc.tuple(hour, warehouse, sku).map(
      ([h, w, s]) =>
        (m: number) =>
          stockout(eventAt(h, m), w, s, { merchantId }),
    ),
    fc.tuple(hour, warehouse, sku).map(
      ([h, w, s]) =>
        (m: number) =>
          restocked(eventAt(h, m), w, s, { merchantId }),
    ),
  );

const withoutPositions = (state: ProfileState) =>
  canonicalState({ ...state, appliedPositions: { orders: null, warehouse: null, logistics: null } });

describe('the Lua script implements applyProfileDelta', () => {
  let redis: Redis;
  const prefix = uniqueKeyPrefix('eq');
  let merchantNumber = 0;

  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  });

  it('gives the same profile as the reducer for random streams and batchings', async () => {
    const retention = { ...DEFAULT_PROFILE_RETENTION, stockEntriesMax: 4, warehousesMax: 2 };
    const store = new RedisProfileStore(redis, { keyPrefix: prefix, retention });
    await store.loadScript();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }).chain((seed) => {
          const merchantId = `m-eq-${seed}-${(merchantNumber += 1)}`;
          return fc.tuple(
            fc.constant(merchantId),
            fc.array(fc.tuple(anEvent(merchantId), fc.integer({ min: 0, max: 59 })), {
              minLength: 1,
              maxLength: 120,
            }),
            fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
          );
        }),
        async ([merchantId, builders, batchSizes]) => {
          const events = builders.map(([build, minutes]) => build(minutes));
          const log = new TopicLog();
          // Cut each topic run into batches of the drawn sizes, applied in stream order.
          let cut = 0;
          for (const batch of log.append(events)) {
            for (let from = 0; from < batch.messages.length;) {
              const size = batchSizes[cut++ % batchSizes.length]!;
              await store.applyBatch({ ...batch, messages: batch.messages.slice(from, from + size) });
              from += size;
            }
          }
          const stored = await store.readProfile(merchantId);
          const expected = foldEvents(events, retention).state!;
          expect(withoutPositions(stored!)).toEqual(withoutPositions(expected));
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
