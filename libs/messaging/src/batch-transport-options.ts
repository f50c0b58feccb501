import { z } from 'zod';
import { ConsumerMetrics, noConsumerMetrics } from './consumer-metrics';
import { KafkaClientOptions, kafkaClientShape } from './kafka-client-options';
import { createConsoleLogger } from './logger';
import { boundedRatio, identifier, parseOptions, topicNamespace, wholeNumber } from './options-validation';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';

/** One consumer group subscribing to more topics than this is a design smell, and costs memory per topic. */
export const MAX_SUBSCRIBED_TOPICS = 32;

export const BATCH_TRANSPORT_DEFAULTS = {
  maxBatchSize: 500,
  maxBytesPerFetch: 10 * 1024 * 1024,
  maxBytesPerPartition: 1024 * 1024,
  maxFetchWaitMs: 1_000,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  commitIntervalMs: 1_000,
  fromBeginning: true,
  partitionsConsumedConcurrently: 1,
  groupMembers: 1,
  drainTimeoutMs: 15_000,
} as const;

/** The Kafka batch transport's options; everything but the first five has a default. */
export interface KafkaBatchTransportOptions extends KafkaClientOptions {
  readonly groupId: string;
  /** Written into the `dlq-service` header of every dead letter. */
  readonly serviceName: string;
  /** Prefix of every topic (`<namespace>.<topic>`), as `KAFKA_TOPIC_NAMESPACE` says; none by default. */
  readonly topicNamespace?: string;
  /** Most records passed to one handler call (default 500, at most 10 000). */
  readonly maxBatchSize?: number;
  /** Most bytes one fetch returns, all partitions together (default 10 MiB). */
  readonly maxBytesPerFetch?: number;
  /** Most bytes one fetch returns for one partition (default 1 MiB). */
  readonly maxBytesPerPartition?: number;
  /** How long the broker may hold a fetch open waiting for records (default 1000 ms); also bounds how fast an idle consumer stops. */
  readonly maxFetchWaitMs?: number;
  /** The group evicts a member it has not heard from for this long (default 30 s). */
  readonly sessionTimeoutMs?: number;
  /** At most a third of the session timeout (default 3 s, or less when the session is short). */
  readonly heartbeatIntervalMs?: number;
  /** Resolved offsets are committed at least this often while a batch runs, and at its end (default 1000 ms; 0: after every chunk). */
  readonly commitIntervalMs?: number;
  /** Backoff between retries of a failing chunk. */
  readonly retry?: Partial<RetryPolicy>;
  /** Where a group with no committed offset starts: the oldest record (default) or only new ones. */
  readonly fromBeginning?: boolean;
  /** Partitions processed at once by each group member, each partition still in order (default 1, at most 64). */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * kafkajs consumers this process runs in the group (default 1, at most 16), each with its own
   * fetch loop and its share of the partitions. kafkajs fetches from a broker and then waits
   * until every batch of that fetch is processed before it fetches again, so within one member
   * the slowest partition's batch holds back all the others; with several members, each set of
   * partitions moves at its own pace. Client ids get a `-<n>` suffix when there is more than one.
   */
  readonly groupMembers?: number;
  /** On close, how long the chunk in flight may take to finish before the consumer disconnects anyway (default 15 s). */
  readonly drainTimeoutMs?: number;
  /** Where events consumed, dead letters and lag are counted (none by default; see consumer-metrics.ts). */
  readonly metrics?: ConsumerMetrics;
}

export interface ResolvedBatchTransportOptions extends Required<
  Omit<KafkaBatchTransportOptions, 'retry' | 'topicNamespace'>
> {
  readonly topicNamespace: string | undefined;
  readonly retry: RetryPolicy;
}

const retryPolicySchema = z
  .object({
    initialDelayMs: wholeNumber(1, 60_000).default(DEFAULT_RETRY_POLICY.initialDelayMs),
    backoffFactor: z
      .number()
      .min(1, 'must be at least 1')
      .max(10, 'must be at most 10')
      .default(DEFAULT_RETRY_POLICY.backoffFactor),
    maxDelayMs: wholeNumber(1, 300_000).default(DEFAULT_RETRY_POLICY.maxDelayMs),
    jitterRatio: boundedRatio.default(DEFAULT_RETRY_POLICY.jitterRatio),
  })
  .refine((policy) => policy.maxDelayMs >= policy.initialDelayMs, {
    path: ['maxDelayMs'],
    message: 'must be at least initialDelayMs',
  });

const defaults = BATCH_TRANSPORT_DEFAULTS;

const batchTransportSchema = z
  .object({
    ...kafkaClientShape,
    groupId: identifier(255),
    serviceName: identifier(128),
    topicNamespace: topicNamespace.optional(),
    maxBatchSize: wholeNumber(1, 10_000).default(defaults.maxBatchSize),
    maxBytesPerFetch: wholeNumber(1024, 256 * 1024 * 1024).default(defaults.maxBytesPerFetch),
    maxBytesPerPartition: wholeNumber(1024, 64 * 1024 * 1024).default(defaults.maxBytesPerPartition),
    maxFetchWaitMs: wholeNumber(0, 30_000).default(defaults.maxFetchWaitMs),
    sessionTimeoutMs: wholeNumber(1_000, 300_000).default(defaults.sessionTimeoutMs),
    heartbeatIntervalMs: wholeNumber(100, 100_000).optional(),
    commitIntervalMs: wholeNumber(0, 60_000).default(defaults.commitIntervalMs),
    retry: retryPolicySchema.prefault({}),
    fromBeginning: z.boolean({ error: 'must be true or false' }).default(defaults.fromBeginning),
    partitionsConsumedConcurrently: wholeNumber(1, 64).default(defaults.partitionsConsumedConcurrently),
    groupMembers: wholeNumber(1, 16).default(defaults.groupMembers),
    drainTimeoutMs: wholeNumber(0, 300_000).default(defaults.drainTimeoutMs),
  })
  .transform((options) => ({
    ...options,
    heartbeatIntervalMs:
      options.heartbeatIntervalMs ??
      Math.min(defaults.heartbeatIntervalMs, Math.floor(options.sessionTimeoutMs / 3)),
  }))
  // Kafka's advice: heartbeat at least three times per session, so one lost heartbeat is not an eviction.
  .refine((options) => options.heartbeatIntervalMs * 3 <= options.sessionTimeoutMs, {
    path: ['heartbeatIntervalMs'],
    message: 'must be at most a third of sessionTimeoutMs',
  })
  .refine((options) => options.maxBytesPerPartition <= options.maxBytesPerFetch, {
    path: ['maxBytesPerPartition'],
    message: 'must be at most maxBytesPerFetch',
  });

/** Validates the options and fills in the defaults; throws InvalidMessagingOptionsError naming each bad option. */
export function resolveBatchTransportOptions(
  options: KafkaBatchTransportOptions,
): ResolvedBatchTransportOptions {
  const parsed = parseOptions(batchTransportSchema, options, 'Kafka batch transport');
  return {
    ...parsed,
    topicNamespace: parsed.topicNamespace,
    logger: options.logger ?? createConsoleLogger('warn'),
    metrics: options.metrics ?? noConsumerMetrics,
  };
}
