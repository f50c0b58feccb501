import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testEndpoints } from '../../support/env';

/**
 * Integration tests share one Redis with other engineers and other suites: every test works
 * under its own key prefix and deletes exactly its keys afterwards (never FLUSHALL).
 */
export const uniqueKeyPrefix = (label = 't'): string =>
  `${label}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export const connectRedis = (): Redis =>
  new Redis(testEndpoints.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3, connectTimeout: 3_000 });

/** Deletes every key under `prefix:`; SCAN, so it never blocks the shared server. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  for (let round = 0; round < 100_000; round += 1) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') return deleted;
  }
  throw new Error(`SCAN of ${prefix}:* did not finish`);
}
