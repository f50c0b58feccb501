import { z } from 'zod';
import { KEY_PREFIX_PATTERN, DEFAULT_KEY_PREFIX } from '@lendstream/profile';
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
 * The profiler's configuration, read from the environment once at boot and validated: a bad
 * variable stops the process before it connects to anything, naming itself.
 */
export interface ProfilerOptions {
  readonly redisUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** Prefix of every profile key; a replay rebuilds into a fresh one (`PROFILE_KEY_PREFIX`, default `lp`). */
  readonly keyPrefix: string;
  /** Most records per handler call (`PROFILER_BATCH_SIZE`, default 5000). */
  readonly batchSize: number;
  /** Most bytes one fetch takes from a partition (`PROFILER_FETCH_BYTES_PER_PARTITION`, default 4 MiB). */
  readonly fetchBytesPerPartition?: number;
  readonly groupId: string;
  readonly clientId: string;
  /** `<namespace>.<topic>` for every topic, as tests and benchmarks use (`KAFKA_TOPIC_NAMESPACE`). */
  readonly topicNamespace?: string;
  readonly partitionsConsumedConcurrently: number;
  /** kafkajs consumers in this process, each with its own fetch loop (`PROFILER_GROUP_MEMBERS`; see the transport's `groupMembers`). */
  readonly groupMembers?: number;
  /** A Redis command slower than this fails the batch, which the transport retries (`REDIS_COMMAND_TIMEOUT_MS`). */
  readonly redisCommandTimeoutMs: number;
  /** Port of `/health/live`, `/health/ready` and `/metrics` (`PROFILER_HTTP_PORT`, default 3001; 0 or unset in-process = none). */
  readonly httpPort?: number;
  /** Each readiness probe (Kafka, Redis) fails after this long. */
  readonly healthTimeoutMs?: number;
  /** Backoff of a failing batch (tests shorten it). */
  readonly retry?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Nest's log levels (from `LOG_LEVEL`); false silences Nest. */
  readonly logLevels?: readonly NestLogLevel[] | false;
}

export const PROFILER_DEFAULTS = {
  // Larger than the transport's 500 and fetches larger than kafkajs's 1 MiB per partition:
  // more of a merchant's events share one script call and one debounced signal. Measured with
  // `npm run bench -- ingest`: Redis CPU per event fell from ~19 µs (8,069 script calls for
  // 234k events) to ~8 µs (1,722 calls) and throughput rose ~10 %.
  batchSize: 5_000,
  fetchBytesPerPartition: 4 * 1024 * 1024,
  groupId: 'lendstream-profiler',
  clientId: 'lendstream-profiler',
  // Every partition of the default 6 at once: a batch's Redis script call overlaps another's
  // decoding. `npm run bench -- ingest`, interleaved runs: ~6 % more events/s than 3.
  partitionsConsumedConcurrently: 6,
  groupMembers: 1,
  redisCommandTimeoutMs: 5_000,
  httpPort: 3001,
} as const;

export const profilerEnvSchema = z.object({
  ...platformEnvShape,
  PROFILE_KEY_PREFIX: optionalMatching(KEY_PREFIX_PATTERN, 'expected 1-32 characters of A-Z a-z 0-9 . _ -'),
  PROFILER_BATCH_SIZE: wholeNumber(1, 10_000, PROFILER_DEFAULTS.batchSize),
  PROFILER_FETCH_BYTES_PER_PARTITION: wholeNumber(
    64 * 1024,
    64 * 1024 * 1024,
    PROFILER_DEFAULTS.fetchBytesPerPartition,
  ),
  PROFILER_GROUP_ID: optionalMatching(
    /^[A-Za-z0-9._-]{1,255}$/,
    'expected 1-255 letters, digits, ".", "_" or "-"',
  ),
  PROFILER_PARTITIONS_CONCURRENTLY: wholeNumber(1, 64, PROFILER_DEFAULTS.partitionsConsumedConcurrently),
  PROFILER_GROUP_MEMBERS: wholeNumber(1, 16, PROFILER_DEFAULTS.groupMembers),
  REDIS_COMMAND_TIMEOUT_MS: wholeNumber(100, 60_000, PROFILER_DEFAULTS.redisCommandTimeoutMs),
  PROFILER_HTTP_PORT: wholeNumber(0, 65_535, PROFILER_DEFAULTS.httpPort),
  KAFKA_TOPIC_NAMESPACE: optionalMatching(
    /^[A-Za-z0-9_-]{1,100}$/,
    'expected 1-100 letters, digits, "_" or "-"',
  ),
});

/** Reads and validates the environment; throws InvalidEnvironmentError naming every bad variable. */
export function profilerOptionsFromEnv(source: EnvSource = process.env): ProfilerOptions {
  const env = loadEnvWith(profilerEnvSchema, source);
  return {
    redisUrl: env.REDIS_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    keyPrefix: env.PROFILE_KEY_PREFIX ?? DEFAULT_KEY_PREFIX,
    batchSize: env.PROFILER_BATCH_SIZE,
    fetchBytesPerPartition: env.PROFILER_FETCH_BYTES_PER_PARTITION,
    groupId: env.PROFILER_GROUP_ID ?? PROFILER_DEFAULTS.groupId,
    clientId: PROFILER_DEFAULTS.clientId,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    partitionsConsumedConcurrently: env.PROFILER_PARTITIONS_CONCURRENTLY,
    groupMembers: env.PROFILER_GROUP_MEMBERS,
    redisCommandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    httpPort: env.PROFILER_HTTP_PORT,
    healthTimeoutMs: HEALTH_TIMEOUT_MS_DEFAULT,
    logLevels: NEST_LOG_LEVELS[env.LOG_LEVEL],
  };
}
