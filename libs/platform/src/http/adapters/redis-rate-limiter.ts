import type { Redis } from 'ioredis';

/** What one request's check answers. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** When refused: how long until one more request would be allowed, in ms. */
  readonly retryAfterMs: number;
  /** When allowed: how many more requests the bucket holds right now. */
  readonly remaining: number;
}

export interface RateLimiter {
  consume(key: string, limit: number, windowMs: number): Promise<RateLimitVerdict>;
}

/**
 * The generic cell rate algorithm (GCRA) in one Lua script: each bucket is one key holding its
 * "theoretical arrival time"; a request is allowed when that time, advanced by one emission
 * interval (window / limit), is at most one window ahead of now. So `limit` requests may come
 * at once, and then one per interval: a sliding window without per-request memory (one short
 * key per bucket, expiring once idle). The clock is Redis's own (TIME), the same for every
 * replica, and the check-and-set is atomic, so replicas share each bucket exactly.
 */
const GCRA_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local allow_at = next_tat - window
if allow_at > now then
  return {0, math.ceil(allow_at - now), 0}
end
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now))
return {1, 0, math.floor((now + window - next_tat) / interval)}
`;

const COMMAND = 'lendstreamRateLimit';

type WithCommand = Redis & {
  [COMMAND](key: string, intervalMs: string, windowMs: string): Promise<[number, number, number]>;
};

/** GCRA buckets in Redis (see GCRA_SCRIPT). ioredis sends EVALSHA and falls back to EVAL itself. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithCommand;

  constructor(redis: Redis) {
    if (typeof (redis as unknown as Record<string, unknown>)[COMMAND] !== 'function')
      redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: GCRA_SCRIPT });
    this.redis = redis as WithCommand;
  }

  async consume(key: string, limit: number, windowMs: number): Promise<RateLimitVerdict> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`a rate limit is at least 1, got ${limit}`);
    if (!Number.isInteger(windowMs) || windowMs < 1)
      throw new RangeError(`a window is at least 1 ms, got ${windowMs}`);
    const [allowed, retryAfterMs, remaining] = await this.redis[COMMAND](
      key,
      (windowMs / limit).toFixed(3),
      String(windowMs),
    );
    return { allowed: allowed === 1, retryAfterMs, remaining };
  }
}
