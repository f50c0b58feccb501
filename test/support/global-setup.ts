/**
 * Jest global setup of the integration project: proves Kafka, PostgreSQL and Redis answer
 * before any integration test runs. A missing service FAILS the run, loudly, naming what is
 * down and how to bring it up; it never skips, because a suite that silently skips its
 * integration tests reports green while testing nothing.
 */
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { withPostgresConnection } from '../../libs/platform/src/database/adapters/connection';
import { testEndpoints } from './env';

/** Per service; the three checks run in parallel, so the whole setup waits at most this long. */
const CHECK_TIMEOUT_MS = 5_000;

const FIX =
  'Start the local stack with `npm run stack -- up`, or point KAFKA_BROKERS / DATABASE_URL / REDIS_URL at running services.';

export default async function globalSetup(): Promise<void> {
  const checks: Array<[string, () => Promise<void>]> = [
    [`Kafka at ${testEndpoints.kafkaBrokers.join(',')}`, checkKafka],
    [`PostgreSQL at ${describeUrl(testEndpoints.databaseUrl)}`, checkPostgres],
    [`Redis at ${describeUrl(testEndpoints.redisUrl)}`, checkRedis],
  ];
  const results = await Promise.allSettled(checks.map(([, check]) => withTimeout(check(), CHECK_TIMEOUT_MS)));
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`${checks[index]![0]}: ${errorMessage(result.reason)}`] : [],
  );
  if (failures.length > 0) {
    throw new Error(
      `Integration tests need the local stack, and it is not reachable:\n  - ${failures.join('\n  - ')}\n${FIX}`,
    );
  }
}

async function checkKafka(): Promise<void> {
  const admin = new Kafka({
    clientId: 'lendstream-test-setup',
    brokers: [...testEndpoints.kafkaBrokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function checkPostgres(): Promise<void> {
  await withPostgresConnection(testEndpoints.databaseUrl, (connection) => connection.query('SELECT 1'), {
    applicationName: 'lendstream-test-setup',
  });
}

async function checkRedis(): Promise<void> {
  const redis = new Redis(testEndpoints.redisUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis reports the cause (ECONNREFUSED, …) as an event and rejects with "Connection is
  // closed"; keep the cause for the message.
  let cause: Error | undefined;
  redis.on('error', (error: Error) => {
    cause = error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    redis.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** host:port/db of a URL, without credentials. */
function describeUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(errorMessage).join(', ');
  return error instanceof Error ? error.message || error.name : String(error);
}
