import type Redis from 'ioredis';

const SCAN_COUNT = 1_000;
/** Bounds the walk: a prefix of a hundred million keys is someone else's, not a replay's. */
const SCAN_ROUNDS_MAX = 100_000;

/** Deletes every key under `prefix:`; SCAN and UNLINK, so it never blocks a shared server. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  for (let round = 0; round < SCAN_ROUNDS_MAX; round += 1) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', SCAN_COUNT);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') return deleted;
  }
  throw new Error(`SCAN of ${prefix}:* did not finish in ${SCAN_ROUNDS_MAX} rounds`);
}
