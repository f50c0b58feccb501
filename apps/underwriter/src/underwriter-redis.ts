import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisProfileStore } from '@lendstream/profile';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_OPTIONS, UNDERWRITER_PROFILES, UNDERWRITER_REDIS } from './underwriter-tokens';

/**
 * One Redis connection, read only. Commands time out and are not retried by the client: a
 * failed read fails the batch, and the transport retries it with backoff. Auto-pipelined: a
 * batch reads its merchants' profiles all at once, and ioredis then writes those GETs to the
 * socket together instead of one system call each.
 */
export const underwriterRedisProvider: Provider = {
  provide: UNDERWRITER_REDIS,
  inject: [UNDERWRITER_OPTIONS],
  useFactory: async (options: UnderwriterOptions): Promise<Redis> => {
    const redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      commandTimeout: options.redisCommandTimeoutMs,
      maxRetriesPerRequest: 0,
      connectionName: options.clientId,
      enableAutoPipelining: true,
    });
    redis.on('error', (error: Error) => new Logger('UnderwriterRedis').warn(`Redis: ${error.message}`));
    await redis.connect();
    return redis;
  },
};

/** The profiler's store, used only to read profiles (no script to load). */
export const profileReaderProvider: Provider = {
  provide: UNDERWRITER_PROFILES,
  inject: [UNDERWRITER_REDIS, UNDERWRITER_OPTIONS],
  useFactory: (redis: Redis, options: UnderwriterOptions) =>
    new RedisProfileStore(redis, { keyPrefix: options.profileKeyPrefix }),
};

/** Closes Redis after the transport drained and the sweep stopped. */
@Injectable()
export class UnderwriterRedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(UNDERWRITER_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
