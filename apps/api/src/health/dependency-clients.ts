import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import { createKafkaClient, createNestMessagingLogger } from '@lendstream/messaging';
import type { ApiOptions } from '../api-config';
import { API_KAFKA_ADMIN, API_OPTIONS, API_REDIS } from '../api-tokens';

/**
 * The API's Redis connection. It connects in the background and reconnects on its own: the
 * API starts (and says it is not ready) while Redis is down. Commands are never queued while
 * disconnected and never retried, so a readiness PING fails at once instead of hanging.
 */
export const apiRedisProvider: Provider = {
  provide: API_REDIS,
  inject: [API_OPTIONS],
  useFactory: (options: ApiOptions): Redis => {
    const logger = new Logger('ApiRedis');
    const redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.healthTimeoutMs,
      connectTimeout: options.healthTimeoutMs,
      connectionName: options.clientId,
      retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
    });
    let downReported = false;
    redis.on('error', (error: Error) => {
      if (downReported) return;
      downReported = true;
      logger.warn(`Redis: ${error.message} (reconnecting in the background)`);
    });
    redis.on('ready', () => (downReported = false));
    redis.connect().catch(() => undefined); // reported by the 'error' handler; retried by retryStrategy
    return redis;
  },
};

/** A Kafka admin client for readiness only (describeCluster): no retries, short timeouts. */
export const apiKafkaAdminProvider: Provider = {
  provide: API_KAFKA_ADMIN,
  inject: [API_OPTIONS],
  useFactory: (options: ApiOptions): Admin =>
    createKafkaClient({
      brokers: options.kafkaBrokers,
      clientId: `${options.clientId}-health`,
      connectionTimeoutMs: Math.min(options.healthTimeoutMs, 60_000),
      requestTimeoutMs: Math.max(1_000, options.healthTimeoutMs),
      kafkaLogLevel: 'nothing',
      logger: createNestMessagingLogger('ApiKafka'),
    }).admin({ retry: { retries: 0 } }),
};

/** Closes Redis and the Kafka admin after the HTTP server has stopped taking requests. */
@Injectable()
export class DependencyClientsShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(API_KAFKA_ADMIN) private readonly kafkaAdmin: Admin,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.redis.quit().catch(() => this.redis.disconnect()),
      this.kafkaAdmin.disconnect().catch(() => undefined),
    ]);
  }
}
