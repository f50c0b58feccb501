import type { Admin } from 'kafkajs';
import { createKafkaClient, createNestMessagingLogger } from '@lendstream/messaging';
import type { ReadinessProbe } from '../readiness';

/**
 * A Kafka admin client for readiness only (describeCluster): no retries and timeouts within
 * the readiness timeout, so a broker that is down is reported in time rather than retried.
 */
export function createReadinessKafkaAdmin(options: {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly timeoutMs: number;
}): Admin {
  return createKafkaClient({
    brokers: options.brokers,
    clientId: `${options.clientId}-health`,
    connectionTimeoutMs: Math.min(options.timeoutMs, 60_000),
    requestTimeoutMs: Math.max(1_000, options.timeoutMs),
    kafkaLogLevel: 'nothing',
    logger: createNestMessagingLogger('ReadinessKafka'),
  }).admin({ retry: { retries: 0 } });
}

/** Kafka answers describeCluster. Connects on first use; a failure drops the connection so the next check starts afresh. */
export function kafkaReadinessProbe(admin: Admin): ReadinessProbe {
  return async () => {
    try {
      await admin.connect();
      await admin.describeCluster();
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
  };
}

/** Postgres answers `SELECT 1` on the app's own pool. */
export const postgresReadinessProbe =
  (dataSource: { query(sql: string): Promise<unknown> }): ReadinessProbe =>
  () =>
    dataSource.query('SELECT 1');

/** Redis answers PING on the app's own connection. */
export const redisReadinessProbe =
  (redis: { ping(): Promise<unknown> }): ReadinessProbe =>
  () =>
    redis.ping();
