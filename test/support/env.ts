/**
 * The endpoints integration tests talk to: the local stack's by default, or whatever
 * KAFKA_BROKERS, DATABASE_URL and REDIS_URL name (a CI service, a compose stack).
 * Read through the platform's own config so that tests and apps agree on every default.
 */
import { loadPlatformEnv } from '../../libs/platform/src/config/env';

const env = loadPlatformEnv();

export const testEndpoints = {
  kafkaBrokers: env.KAFKA_BROKERS,
  /** The partition count `npm run stack -- up` gives every topic. */
  kafkaPartitions: env.KAFKA_PARTITIONS,
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
} as const;

export type TestEndpoints = typeof testEndpoints;
