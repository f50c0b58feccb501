import { z } from 'zod';
import { createConsoleLogger, MessagingLogger } from './logger';
import type { PendingOutboxRow } from './outbox-messages';
import { MAX_OUTBOX_SHARDS } from './outbox-shards';
import { boundedRatio, identifier, parseOptions, wholeNumber } from './options-validation';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';

const SECOND_MS = 1_000;
const DAY_MS = 24 * 60 * 60 * SECOND_MS;

export const OUTBOX_RELAY_DEFAULTS = {
  /** Every relay of one database must use the same count (a relay that disagrees waits). */
  shardCount: 16,
  /** Rows claimed and published per round; one produce request per topic at the producer's defaults. */
  batchSize: 500,
  /**
   * How long an idle relay sleeps before looking again. An insert wakes it at once through
   * LISTEN/NOTIFY, so this only bounds the delay of a lost notification.
   */
  pollIntervalMs: 250,
  listenForInserts: true,
  /** How often a relay counts the live relays and takes or gives back shards. */
  rebalanceIntervalMs: 1_000,
  /** Sent rows are kept this long (for ops to look at), then purged. */
  retentionMs: 7 * DAY_MS,
  purgeIntervalMs: 60 * SECOND_MS,
  purgeChunkSize: 5_000,
  /** A purge run deletes at most chunk size × this many rows; the next run goes on. */
  purgeMaxChunks: 20,
  /** How long `stop()` waits for the round in flight (a publish may wait out Kafka's own retries). */
  stopTimeoutMs: 15_000,
  /** The backlog count is exact up to this; past it, it says "at least this many". */
  backlogCountCap: 100_000,
  /** A row failed this many times is logged as an error, once per failure (ops should look). */
  stuckAttemptsThreshold: 20,
} as const;

/** Sleep between retries of a failed publish or database call: 100 ms doubling to 10 s, with jitter. */
export const OUTBOX_RELAY_RETRY_POLICY: RetryPolicy = DEFAULT_RETRY_POLICY;

export interface OutboxRelayOptions {
  /** Names this relay in logs and in pg_stat_activity (default `outbox-relay`). */
  readonly relayName?: string;
  readonly shardCount?: number;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** LISTEN for the writers' NOTIFY (default true); without it, new rows wait up to a poll interval. */
  readonly listenForInserts?: boolean;
  readonly rebalanceIntervalMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly retentionMs?: number;
  readonly purgeIntervalMs?: number;
  readonly purgeChunkSize?: number;
  readonly purgeMaxChunks?: number;
  readonly stopTimeoutMs?: number;
  readonly backlogCountCap?: number;
  readonly stuckAttemptsThreshold?: number;
  readonly logger?: MessagingLogger;
  /**
   * TEST SEAM, never set in an app: runs after Kafka acknowledged a round's rows and before
   * they are marked sent, where a crash is the worst case. A rejection stands for that crash:
   * the rows stay pending and are published again (same ids). A test may also kill the
   * process from here.
   */
  readonly afterPublishBeforeMark?: (rows: readonly PendingOutboxRow[]) => Promise<void> | void;
}

export interface ResolvedOutboxRelayOptions extends Required<
  Omit<OutboxRelayOptions, 'retry' | 'afterPublishBeforeMark'>
> {
  readonly retry: RetryPolicy;
  readonly afterPublishBeforeMark: OutboxRelayOptions['afterPublishBeforeMark'];
}

const retryPolicySchema = z
  .object({
    initialDelayMs: wholeNumber(1, 60_000).default(OUTBOX_RELAY_RETRY_POLICY.initialDelayMs),
    backoffFactor: z
      .number()
      .min(1, 'must be at least 1')
      .max(10, 'must be at most 10')
      .default(OUTBOX_RELAY_RETRY_POLICY.backoffFactor),
    maxDelayMs: wholeNumber(1, 300_000).default(OUTBOX_RELAY_RETRY_POLICY.maxDelayMs),
    jitterRatio: boundedRatio.default(OUTBOX_RELAY_RETRY_POLICY.jitterRatio),
  })
  .refine((policy) => policy.maxDelayMs >= policy.initialDelayMs, {
    path: ['maxDelayMs'],
    message: 'must be at least initialDelayMs',
  });

const relaySchema = z.object({
  relayName: identifier(64).default('outbox-relay'),
  shardCount: wholeNumber(1, MAX_OUTBOX_SHARDS).default(OUTBOX_RELAY_DEFAULTS.shardCount),
  batchSize: wholeNumber(1, 10_000).default(OUTBOX_RELAY_DEFAULTS.batchSize),
  pollIntervalMs: wholeNumber(5, 60_000).default(OUTBOX_RELAY_DEFAULTS.pollIntervalMs),
  listenForInserts: z
    .boolean({ error: 'must be true or false' })
    .default(OUTBOX_RELAY_DEFAULTS.listenForInserts),
  rebalanceIntervalMs: wholeNumber(50, 60_000).default(OUTBOX_RELAY_DEFAULTS.rebalanceIntervalMs),
  retry: retryPolicySchema.prefault({}),
  retentionMs: wholeNumber(1_000, 365 * DAY_MS).default(OUTBOX_RELAY_DEFAULTS.retentionMs),
  purgeIntervalMs: wholeNumber(100, DAY_MS).default(OUTBOX_RELAY_DEFAULTS.purgeIntervalMs),
  purgeChunkSize: wholeNumber(1, 100_000).default(OUTBOX_RELAY_DEFAULTS.purgeChunkSize),
  purgeMaxChunks: wholeNumber(1, 10_000).default(OUTBOX_RELAY_DEFAULTS.purgeMaxChunks),
  stopTimeoutMs: wholeNumber(100, 300_000).default(OUTBOX_RELAY_DEFAULTS.stopTimeoutMs),
  backlogCountCap: wholeNumber(1, 100_000_000).default(OUTBOX_RELAY_DEFAULTS.backlogCountCap),
  stuckAttemptsThreshold: wholeNumber(1, 1_000_000).default(OUTBOX_RELAY_DEFAULTS.stuckAttemptsThreshold),
});

/** Validates the options (a bad one names itself) and fills in the defaults. */
export function resolveOutboxRelayOptions(options: OutboxRelayOptions = {}): ResolvedOutboxRelayOptions {
  const { logger, afterPublishBeforeMark, ...rest } = options;
  const parsed = parseOptions(relaySchema, rest, 'outbox relay');
  return { ...parsed, logger: logger ?? createConsoleLogger('warn'), afterPublishBeforeMark };
}
