import { z } from 'zod';
import {
  LendingPolicy,
  lendingPolicyEnvShape,
  lendingPolicyFromEnv,
  lendingPolicyOf,
  REVIEW_DEFAULTS,
} from '@lendstream/lending';
import {
  EnvSource,
  HEALTH_TIMEOUT_MS_DEFAULT,
  loadEnvWith,
  NEST_LOG_LEVELS,
  NestLogLevel,
  optionalMatching,
  platformEnvShape,
  wholeNumber,
} from '@lendstream/platform';

/**
 * Lending's configuration, read from the environment once at boot and validated: a bad
 * variable stops the process before it connects to anything, naming itself.
 */
export interface LendingOptions {
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** `<namespace>.<topic>` for every topic (`KAFKA_TOPIC_NAMESPACE`), as tests and benchmarks use. */
  readonly topicNamespace?: string;
  readonly groupId: string;
  readonly clientId: string;
  /** Most records per handler call (`LENDING_BATCH_SIZE`). */
  readonly batchSize: number;
  readonly partitionsConsumedConcurrently: number;
  readonly databasePoolSize: number;
  /** How often the review runs, wall clock (`LENDING_REVIEW_INTERVAL_MS`; 0 turns it off). */
  readonly reviewIntervalMs: number;
  /** Loans per review transaction (`LENDING_REVIEW_CHUNK`). */
  readonly reviewChunkSize: number;
  /** Most loans one review run examines (`LENDING_REVIEW_LOANS_MAX`); the next run goes on. */
  readonly reviewLoansMax: number;
  /**
   * A file holding the business instant the review runs as of (`LENDING_BUSINESS_CLOCK_FILE`),
   * read at each run, instead of the wall clock: for a simulated calendar (the chaos run
   * advances it a market day at a time). Unset: the wall clock, as in production.
   */
  readonly businessClockFile?: string;
  /** The lending policy: v1, with the holdback share and write-off days from the environment. */
  readonly policy: LendingPolicy;
  /** Port of `/health/live`, `/health/ready` and `/metrics` (`LENDING_HTTP_PORT`, default 3003; 0 or unset in-process = none). */
  readonly httpPort?: number;
  /** Each readiness probe (Kafka, Postgres) fails after this long. */
  readonly healthTimeoutMs?: number;
  /** Backoff of a failing batch (tests shorten it). */
  readonly retry?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  readonly logLevels?: readonly NestLogLevel[] | false;
}

export const LENDING_DEFAULTS = {
  groupId: 'lendstream-lending',
  clientId: 'lendstream-lending',
  batchSize: 500,
  partitionsConsumedConcurrently: 3,
  databasePoolSize: 10,
  /** Every 15 minutes: a new day's interest is posted within a quarter of an hour of midnight UTC. */
  reviewIntervalMs: 900_000,
  reviewChunkSize: REVIEW_DEFAULTS.chunkSize,
  reviewLoansMax: REVIEW_DEFAULTS.limit,
  httpPort: 3003,
} as const;

export { lendingPolicyFromEnv };

export const lendingEnvSchema = z.object({
  ...platformEnvShape,
  ...lendingPolicyEnvShape,
  KAFKA_TOPIC_NAMESPACE: optionalMatching(
    /^[A-Za-z0-9_-]{1,100}$/,
    'expected 1-100 letters, digits, "_" or "-"',
  ),
  LENDING_GROUP_ID: optionalMatching(
    /^[A-Za-z0-9._-]{1,255}$/,
    'expected 1-255 letters, digits, ".", "_" or "-"',
  ),
  LENDING_BATCH_SIZE: wholeNumber(1, 5_000, LENDING_DEFAULTS.batchSize),
  LENDING_PARTITIONS_CONCURRENTLY: wholeNumber(1, 64, LENDING_DEFAULTS.partitionsConsumedConcurrently),
  LENDING_DATABASE_POOL_SIZE: wholeNumber(2, 100, LENDING_DEFAULTS.databasePoolSize),
  LENDING_REVIEW_INTERVAL_MS: wholeNumber(0, 86_400_000, LENDING_DEFAULTS.reviewIntervalMs),
  LENDING_REVIEW_CHUNK: wholeNumber(1, 5_000, LENDING_DEFAULTS.reviewChunkSize),
  LENDING_REVIEW_LOANS_MAX: wholeNumber(1, 10_000_000, LENDING_DEFAULTS.reviewLoansMax),
  LENDING_HTTP_PORT: wholeNumber(0, 65_535, LENDING_DEFAULTS.httpPort),
  LENDING_BUSINESS_CLOCK_FILE: optionalMatching(/^\/[^\0]{1,4095}$/, 'expected an absolute file path'),
});

/** Reads and validates the environment; throws InvalidEnvironmentError naming every bad variable. */
export function lendingOptionsFromEnv(source: EnvSource = process.env): LendingOptions {
  const env = loadEnvWith(lendingEnvSchema, source);
  return {
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    groupId: env.LENDING_GROUP_ID ?? LENDING_DEFAULTS.groupId,
    clientId: LENDING_DEFAULTS.clientId,
    batchSize: env.LENDING_BATCH_SIZE,
    partitionsConsumedConcurrently: env.LENDING_PARTITIONS_CONCURRENTLY,
    databasePoolSize: env.LENDING_DATABASE_POOL_SIZE,
    reviewIntervalMs: env.LENDING_REVIEW_INTERVAL_MS,
    reviewChunkSize: env.LENDING_REVIEW_CHUNK,
    reviewLoansMax: env.LENDING_REVIEW_LOANS_MAX,
    ...(env.LENDING_BUSINESS_CLOCK_FILE === undefined
      ? {}
      : { businessClockFile: env.LENDING_BUSINESS_CLOCK_FILE }),
    policy: lendingPolicyOf(env.LENDING_HOLDBACK_SHARE_BPS, env.LENDING_WRITE_OFF_DAYS_PAST_DUE),
    httpPort: env.LENDING_HTTP_PORT,
    healthTimeoutMs: HEALTH_TIMEOUT_MS_DEFAULT,
    logLevels: NEST_LOG_LEVELS[env.LOG_LEVEL],
  };
}
