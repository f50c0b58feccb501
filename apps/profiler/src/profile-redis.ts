import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisProfileStore } from '@lendstream/profile';
import type { ProfilerOptions } from './profiler-config';
import { PROFILE_REDIS, PROFILER_OPTIONS } from './profiler-tokens';

/**
 * One Redis connection per profiler. Commands time out (the batch then fails and the
 * transport retries it with backoff), and are not retried by the client itself: retrying is
 * the transport's job, and it keeps a batch's calls in order.
 */
export const profileRedisProvider: Provider = {
  provide: PROFILE_REDIS,
  inject: [PROFILER_OPTIONS],
  useFactory: async (options: ProfilerOptions): Promise<Redis> => {
    const redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      commandTimeout: options.redisCommandTimeoutMs,
      maxRetriesPerRequest: 0,
      connectionName: options.clientId,
    });
    // Connection errors surface as failed commands (retried batches); the event only logs.
    redis.on('error', (error: Error) => new Logger('ProfileRedis').warn(`Redis: ${error.message}`));
    await redis.connect();
    return redis;
  },
};

/** The store, with its script loaded at startup (EVALSHA later; reloaded on NOSCRIPT). */
export const profileStoreProvider: Provider = {
  provide: RedisProfileStore,
  inject: [PROFILE_REDIS, PROFILER_OPTIONS],
  useFactory: async (redis: Redis, options: ProfilerOptions): Promise<RedisProfileStore> => {
    const store = new RedisProfileStore(redis, { keyPrefix: options.keyPrefix });
    await store.loadScript();
    return store;
  },
};

/** Closes Redis on shutdown: after the transport drained (Nest closes servers before this hook). */
@Injectable()
export class ProfileRedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(PROFILE_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
