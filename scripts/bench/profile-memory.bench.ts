import { deleteKeysUnder } from '../lib/redis-keys';
/**
 * Redis memory per merchant: one steady merchant with 50 paid orders a day, 90 simulated
 * days of its order, warehouse and logistics events applied through the profiler's store.
 * Reports MEMORY USAGE of the profile (target <= 2 KiB, so that four million merchants fit
 * in 8 GiB) and, apart, of its dedupe fingerprints for a full horizon. The baseline, built
 * in the same run from the same events, is the straightforward layout: one Redis hash per
 * event-time day with a count and an amount field per event type (HINCRBY).
 */
import { AnyCloudEvent, ProfileInputEvent } from '@lendstream/contracts';
import { loadPlatformEnv } from '@lendstream/platform';
import { measureProfileMemory, RedisProfileStore } from '@lendstream/profile';
import { merchantRoster, simulateMarket, MarketConfig } from '@lendstream/simulation';
import { Redis } from 'ioredis';
import { BenchResult } from './bench-result';

const TARGET_PROFILE_BYTES = 2048;
const ORDERS_PER_DAY = 50;
const DAYS = 90;
const CALL_SIZE = 500;

function amountOf(event: ProfileInputEvent): bigint | null {
  const data = event.data as { amountMinor?: bigint; inventoryValueMinor?: bigint };
  return data.amountMinor ?? data.inventoryValueMinor ?? null;
}

async function memoryOf(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let bytes = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    for (const key of keys)
      bytes += ((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null) ?? 0;
    cursor = next;
  } while (cursor !== '0');
  return bytes;
}

function countPaidOrders(config: MarketConfig): number {
  let paid = 0;
  for (const { event } of simulateMarket(config)) if (event.type === 'order.paid') paid += 1;
  return paid;
}

export async function profileMemoryBenchmark(): Promise<BenchResult> {
  const env = loadPlatformEnv();
  const redis = new Redis(env.REDIS_URL);
  const runId = `bench-memory-${Date.now().toString(36)}`;
  const baseConfig: MarketConfig = {
    seed: 'bench-memory',
    merchants: 1,
    days: DAYS,
    start: '2026-05-01',
    archetypeMix: { steady: 1 },
  };
  const [merchant] = merchantRoster(baseConfig);
  // Calibrate the scale so that the merchant really has 50 *paid* orders a day (some placed
  // orders are cancelled): one pass to count, one to correct.
  const firstScale = ORDERS_PER_DAY / merchant!.ordersPerDay;
  const paidAtFirstScale = countPaidOrders({ ...baseConfig, ordersPerDayScale: firstScale });
  const market: MarketConfig = {
    ...baseConfig,
    ordersPerDayScale: (firstScale * ORDERS_PER_DAY * DAYS) / paidAtFirstScale,
  };

  try {
    const store = new RedisProfileStore(redis, { keyPrefix: runId });
    await store.loadScript();
    const offsets = new Map<string, number>();
    const pending = new Map<string, { offset: string; event: AnyCloudEvent }[]>();
    let events = 0;
    let paidOrders = 0;
    const flush = async (topic: string) => {
      const messages = pending.get(topic) ?? [];
      if (messages.length === 0) return;
      await store.applyBatch({ topic, partition: 0, messages });
      pending.set(topic, []);
    };
    const naive = redis.pipeline();
    for (const { topic, event } of simulateMarket(market)) {
      events += 1;
      if (event.type === 'order.paid') paidOrders += 1;
      const offset = offsets.get(topic) ?? 0;
      offsets.set(topic, offset + 1);
      const messages = pending.get(topic) ?? [];
      messages.push({ offset: String(offset), event });
      pending.set(topic, messages);
      if (messages.length >= CALL_SIZE) await flush(topic);

      const dayKey = `${runId}-naive:{${event.subject}}:day:${event.time.slice(0, 10)}`;
      naive.hincrby(dayKey, `${event.type}:count`, 1);
      const amount = amountOf(event);
      if (amount !== null) naive.hincrby(dayKey, `${event.type}:amountMinor`, amount.toString());
    }
    for (const topic of [...pending.keys()]) await flush(topic);
    await naive.exec();

    const measured = await measureProfileMemory(redis, runId, merchant!.merchantId);
    const naiveBytes = await memoryOf(redis, `${runId}-naive:*`);
    const ratio = measured.profileBytes / naiveBytes;
    console.log(
      `  ${events} events, ${paidOrders} paid orders over ${DAYS} days: profile ${measured.profileBytes} B, ` +
        `dedupe ${measured.dedupeBytes} B, naive per-day hashes ${naiveBytes} B`,
    );
    return {
      name: 'profile-memory',
      unit: 'bytes/merchant',
      value: measured.profileBytes,
      baseline: naiveBytes,
      ratio,
      target: `value <= ${TARGET_PROFILE_BYTES} (4M merchants in 8 GiB)`,
      targetMet: measured.profileBytes <= TARGET_PROFILE_BYTES,
      command: 'npm run bench -- profile-memory',
      ranAt: new Date().toISOString(),
      details: {
        merchantId: merchant!.merchantId,
        archetype: merchant!.archetype,
        days: DAYS,
        events,
        paidOrdersPerDay: Math.round((paidOrders / DAYS) * 10) / 10,
        profileBytes: measured.profileBytes,
        dedupeBytes: measured.dedupeBytes,
        dedupeHorizonHours: 24,
        merchantsIn8GiB: Math.floor((8 * 1024 ** 3) / measured.profileBytes),
        baselineDescription: 'one Redis hash per event-time day, a count and an amount field per event type',
      },
    };
  } finally {
    await deleteKeysUnder(redis, runId);
    await deleteKeysUnder(redis, `${runId}-naive`);
    redis.disconnect();
  }
}
