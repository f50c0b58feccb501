import { z } from 'zod';
import { DEFAULT_KEY_PREFIX, KEY_PREFIX_PATTERN } from '@lendstream/profile';
import {
  authEnvShape,
  AuthSettings,
  authSettingsFrom,
  BODY_LIMIT_BYTES_MAX,
  BODY_LIMIT_BYTES_MIN,
  DEFAULT_BODY_LIMIT_BYTES,
  EnvSource,
  loadEnvWith,
  NEST_LOG_LEVELS,
  NestLogLevel,
  optionalMatching,
  parseCorsOrigins,
  RATE_LIMIT_DEFAULTS,
  RateLimitSettings,
  platformEnvShape,
  unsetIfEmpty,
  wholeNumber,
} from '@lendstream/platform';

/**
 * The ops API's configuration, read from the environment once at boot and validated: a bad
 * variable (or the development JWT secret under NODE_ENV=production) stops the process before
 * it connects to anything, naming the variable.
 */
export interface ApiOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly clientId: string;
  /** `API_PORT` (default 3000); 0 picks a free port (tests), logged at boot. */
  readonly port: number;
  /** `API_BODY_LIMIT_BYTES` (default 64 KiB): a larger request body is a 413. */
  readonly bodyLimitBytes: number;
  /** `API_CORS_ORIGINS`: browser origins allowed cross-origin; none turns CORS off. */
  readonly corsOrigins: readonly string[];
  readonly databasePoolSize: number;
  /** `API_HEALTH_TIMEOUT_MS`: each readiness check (Kafka, Postgres, Redis) gives up after this. */
  readonly healthTimeoutMs: number;
  /** `API_IDEMPOTENCY_PURGE_INTERVAL_MS`: how often keys past their 30 days are purged (0 = never). */
  readonly idempotencyPurgeIntervalMs: number;
  readonly auth: AuthSettings;
  /** Prefix of the profile keys it reads (`PROFILE_KEY_PREFIX`, default `lp`): the profiler's. */
  readonly profileKeyPrefix: string;
  /** `API_RATE_LIMIT_*`: requests per window per caller and route class, counted in Redis. */
  readonly rateLimit: RateLimitSettings;
  /**
   * `API_RATE_LIMIT_CHECK_TIMEOUT_MS` (default 500): a rate-limit check Redis has not answered
   * by then lets the request through (the limits must not take the API down with Redis).
   */
  readonly rateLimitCheckTimeoutMs: number;
  /**
   * `API_TRUST_PROXY_HOPS` (default 0): how many proxies in front of the API to trust for the
   * client address (X-Forwarded-For), which the anonymous rate limit is keyed on.
   */
  readonly trustProxyHops: number;
  /** `KAFKA_TOPIC_NAMESPACE`: `<namespace>.<topic>` for the topics it reads (tests, benchmarks). */
  readonly topicNamespace?: string;
  /**
   * The dead-letter indexer (`API_DEAD_LETTER_INDEXER`, on by default): consumes scf.dlq.v1 into
   * the table GET /v1/dead-letters reads, in consumer group `API_DEAD_LETTER_GROUP_ID` (replicas share it).
   */
  readonly deadLetterIndexer: { readonly enabled: boolean; readonly groupId: string };
  readonly logLevels?: readonly NestLogLevel[] | false;
}

export const API_DEFAULTS = {
  clientId: 'lendstream-api',
  port: 3000,
  databasePoolSize: 10,
  healthTimeoutMs: 2_000,
  idempotencyPurgeIntervalMs: 3_600_000,
  deadLetterGroupId: 'lendstream-api-dead-letters',
} as const;

const corsOrigins = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const parsed = parseCorsOrigins(raw);
      if (parsed.ok) return parsed.origins;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
);

export const apiEnvSchema = z.object({
  ...platformEnvShape,
  ...authEnvShape,
  API_PORT: wholeNumber(0, 65_535, API_DEFAULTS.port),
  API_BODY_LIMIT_BYTES: wholeNumber(BODY_LIMIT_BYTES_MIN, BODY_LIMIT_BYTES_MAX, DEFAULT_BODY_LIMIT_BYTES),
  API_CORS_ORIGINS: corsOrigins,
  API_DATABASE_POOL_SIZE: wholeNumber(2, 100, API_DEFAULTS.databasePoolSize),
  API_HEALTH_TIMEOUT_MS: wholeNumber(100, 30_000, API_DEFAULTS.healthTimeoutMs),
  API_IDEMPOTENCY_PURGE_INTERVAL_MS: wholeNumber(0, 86_400_000, API_DEFAULTS.idempotencyPurgeIntervalMs),
  PROFILE_KEY_PREFIX: optionalMatching(KEY_PREFIX_PATTERN, 'expected 1-32 characters of A-Z a-z 0-9 . _ -'),
  API_RATE_LIMIT_WINDOW_MS: wholeNumber(1_000, 3_600_000, RATE_LIMIT_DEFAULTS.windowMs),
  API_RATE_LIMIT_READS: wholeNumber(0, 1_000_000, RATE_LIMIT_DEFAULTS.reads),
  API_RATE_LIMIT_WRITES: wholeNumber(0, 1_000_000, RATE_LIMIT_DEFAULTS.writes),
  API_RATE_LIMIT_ANONYMOUS: wholeNumber(0, 1_000_000, RATE_LIMIT_DEFAULTS.anonymous),
  API_RATE_LIMIT_CHECK_TIMEOUT_MS: wholeNumber(10, 60_000, 500),
  API_RATE_LIMIT_KEY_PREFIX: optionalMatching(
    /^[A-Za-z0-9._:-]{1,64}$/,
    'expected 1-64 characters of A-Z a-z 0-9 . _ : -',
  ),
  API_TRUST_PROXY_HOPS: wholeNumber(0, 10, 0),
  KAFKA_TOPIC_NAMESPACE: optionalMatching(
    /^[A-Za-z0-9_-]{1,100}$/,
    'expected 1-100 letters, digits, "_" or "-"',
  ),
  API_DEAD_LETTER_INDEXER: z.preprocess(
    unsetIfEmpty,
    z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  ),
  API_DEAD_LETTER_GROUP_ID: optionalMatching(
    /^[A-Za-z0-9._-]{1,255}$/,
    'expected 1-255 letters, digits, ".", "_" or "-"',
  ),
});

/** Reads and validates the environment; throws InvalidEnvironmentError naming every bad variable. */
export function apiOptionsFromEnv(source: EnvSource = process.env): ApiOptions {
  const env = loadEnvWith(apiEnvSchema, source);
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    clientId: API_DEFAULTS.clientId,
    port: env.API_PORT,
    bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
    corsOrigins: env.API_CORS_ORIGINS,
    databasePoolSize: env.API_DATABASE_POOL_SIZE,
    healthTimeoutMs: env.API_HEALTH_TIMEOUT_MS,
    idempotencyPurgeIntervalMs: env.API_IDEMPOTENCY_PURGE_INTERVAL_MS,
    auth: authSettingsFrom(env),
    profileKeyPrefix: env.PROFILE_KEY_PREFIX ?? DEFAULT_KEY_PREFIX,
    rateLimit: {
      windowMs: env.API_RATE_LIMIT_WINDOW_MS,
      reads: env.API_RATE_LIMIT_READS,
      writes: env.API_RATE_LIMIT_WRITES,
      anonymous: env.API_RATE_LIMIT_ANONYMOUS,
      keyPrefix: env.API_RATE_LIMIT_KEY_PREFIX ?? RATE_LIMIT_DEFAULTS.keyPrefix,
    },
    rateLimitCheckTimeoutMs: env.API_RATE_LIMIT_CHECK_TIMEOUT_MS,
    trustProxyHops: env.API_TRUST_PROXY_HOPS,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    deadLetterIndexer: {
      enabled: env.API_DEAD_LETTER_INDEXER === 'on',
      groupId: env.API_DEAD_LETTER_GROUP_ID ?? API_DEFAULTS.deadLetterGroupId,
    },
    logLevels: NEST_LOG_LEVELS[env.LOG_LEVEL],
  };
}
