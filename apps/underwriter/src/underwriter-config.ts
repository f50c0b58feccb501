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
  unsetIfEmpty,
  wholeNumber,
} from '@lendstream/platform';

/**
 * The underwriter's configuration, read from the environment once at boot and validated: a
 * bad variable stops the process before it connects to anything, naming itself.
 */
export interface UnderwriterOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** Prefix of the profile keys it reads (`PROFILE_KEY_PREFIX`, default `lp`): the profiler's. */
  readonly profileKeyPrefix: string;
  /** `<namespace>.<topic>` for every topic (`KAFKA_TOPIC_NAMESPACE`), as tests and benchmarks use. */
  readonly topicNamespace?: string;
  readonly groupId: string;
  readonly clientId: string;
  /**
   * Most signals per handler call (`UNDERWRITER_BATCH_SIZE`, default 2,000). Large on purpose:
   * a merchant's signals in one call make one decision, so an underwriter that falls behind
   * catches up in big, cheap batches instead of deciding every stale signal.
   */
  readonly batchSize: number;
  readonly partitionsConsumedConcurrently: number;
  /** kafkajs consumers in this process, each with its own fetch loop (`UNDERWRITER_GROUP_MEMBERS`; see the transport's `groupMembers`). */
  readonly groupMembers?: number;
  /** Seeds the budget of `portfolioBudgetCurrency` when treasury has set none (`PORTFOLIO_BUDGET_MINOR`). */
  readonly portfolioBudgetMinor: bigint;
  readonly portfolioBudgetCurrency: string;
  /** How often the silence sweep runs, wall clock (`SILENCE_SWEEP_INTERVAL_MS`; 0 turns it off). */
  readonly silenceSweepIntervalMs: number;
  /**
   * How often the budget rebalance sweep runs, wall clock (`BUDGET_SWEEP_INTERVAL_MS`; 0 turns
   * it off, at boot and on freed headroom too). See rebalanceBudget.
   */
  readonly budgetSweepIntervalMs: number;
  /** Most lines one budget sweep re-decides (`BUDGET_SWEEP_LINES`, 1..1000). */
  readonly budgetSweepLines: number;
  /**
   * How long the shadow lane waits, wall clock, between two turns (`SHADOW_LANE_INTERVAL_MS`; 0
   * turns the lane off and live decisions stay queued). See ShadowLaneScheduler.
   */
  readonly shadowLaneIntervalMs: number;
  /** Most merchants one shadow-lane turn decides (`SHADOW_LANE_MERCHANTS`, 1..1000). */
  readonly shadowLaneMerchants: number;
  /**
   * How long a merchant's live decisions gather in the queue before the lane decides the newest
   * (`SHADOW_LANE_LINGER_MS`): one challenger decision per merchant per window.
   */
  readonly shadowLaneLingerMs: number;
  /**
   * How long a merchant whose line the live policy forecasts to hold waits for its decision
   * (`PENDING_DECISION_LINGER_MS`): its signals in that window make one decision, made by the
   * pending lane (PendingLaneScheduler). 0 decides every signal's merchant in its own batch.
   */
  readonly pendingDecisionLingerMs: number;
  /** Most merchants one pending-lane turn decides (`PENDING_DECISION_MERCHANTS`, 1..1000). */
  readonly pendingDecisionMerchants: number;
  readonly databasePoolSize: number;
  readonly redisCommandTimeoutMs: number;
  /** Port of `/health/live`, `/health/ready` and `/metrics` (`UNDERWRITER_HTTP_PORT`, default 3002; 0 or unset in-process = none). */
  readonly httpPort?: number;
  /** Each readiness probe (Kafka, Postgres, Redis) fails after this long. */
  readonly healthTimeoutMs?: number;
  /** Backoff of a failing batch (tests shorten it). */
  readonly retry?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  readonly logLevels?: readonly NestLogLevel[] | false;
}

export const UNDERWRITER_DEFAULTS = {
  groupId: 'lendstream-underwriter',
  clientId: 'lendstream-underwriter',
  batchSize: 2_000,
  // Every partition of both input topics (6 each by default) at once: the batches of a fetch are
  // then decided together, in one transaction (CoalescingUnderwriter), not three at a time.
  partitionsConsumedConcurrently: 12,
  groupMembers: 1,
  /** 500 million yuan in fen: the size of the allocation Alibaba once sold out in 28 minutes. */
  portfolioBudgetMinor: '50000000000',
  portfolioBudgetCurrency: 'CNY',
  silenceSweepIntervalMs: 60_000,
  budgetSweepIntervalMs: 30_000,
  budgetSweepLines: 1_000,
  shadowLaneIntervalMs: 250,
  shadowLaneMerchants: 25,
  shadowLaneLingerMs: 5_000,
  // A held line's decision is an audit record, not news: two seconds of a busy merchant's
  // signals make one, and nobody waits for it (the signals that move a line are decided at once).
  pendingDecisionLingerMs: 2_000,
  // Small turns: a turn holds its merchants' locks until commit, and a signal that moves one of
  // those lines waits for it.
  pendingDecisionMerchants: 64,
  databasePoolSize: 10,
  redisCommandTimeoutMs: 5_000,
  httpPort: 3002,
} as const;

/** The largest budget a bigint column holds. */
const BUDGET_MINOR_MAX = 2n ** 63n - 1n;

const budgetMinor = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .regex(/^\d{1,19}$/, 'expected whole minor units (digits only), e.g. 50000000000 for 500 million yuan')
    .transform((digits) => BigInt(digits))
    .refine((amount) => amount <= BUDGET_MINOR_MAX, 'expected at most 2^63 - 1')
    .optional()
    .transform((amount) => amount ?? BigInt(UNDERWRITER_DEFAULTS.portfolioBudgetMinor)),
);

export const underwriterEnvSchema = z.object({
  ...platformEnvShape,
  PROFILE_KEY_PREFIX: optionalMatching(KEY_PREFIX_PATTERN, 'expected 1-32 characters of A-Z a-z 0-9 . _ -'),
  KAFKA_TOPIC_NAMESPACE: optionalMatching(
    /^[A-Za-z0-9_-]{1,100}$/,
    'expected 1-100 letters, digits, "_" or "-"',
  ),
  UNDERWRITER_GROUP_ID: optionalMatching(
    /^[A-Za-z0-9._-]{1,255}$/,
    'expected 1-255 letters, digits, ".", "_" or "-"',
  ),
  UNDERWRITER_BATCH_SIZE: wholeNumber(1, 5_000, UNDERWRITER_DEFAULTS.batchSize),
  UNDERWRITER_PARTITIONS_CONCURRENTLY: wholeNumber(
    1,
    64,
    UNDERWRITER_DEFAULTS.partitionsConsumedConcurrently,
  ),
  UNDERWRITER_GROUP_MEMBERS: wholeNumber(1, 16, UNDERWRITER_DEFAULTS.groupMembers),
  PORTFOLIO_BUDGET_MINOR: budgetMinor,
  PORTFOLIO_BUDGET_CURRENCY: optionalMatching(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as CNY'),
  SILENCE_SWEEP_INTERVAL_MS: wholeNumber(0, 86_400_000, UNDERWRITER_DEFAULTS.silenceSweepIntervalMs),
  BUDGET_SWEEP_INTERVAL_MS: wholeNumber(0, 86_400_000, UNDERWRITER_DEFAULTS.budgetSweepIntervalMs),
  BUDGET_SWEEP_LINES: wholeNumber(1, 1_000, UNDERWRITER_DEFAULTS.budgetSweepLines),
  SHADOW_LANE_INTERVAL_MS: wholeNumber(0, 3_600_000, UNDERWRITER_DEFAULTS.shadowLaneIntervalMs),
  SHADOW_LANE_MERCHANTS: wholeNumber(1, 1_000, UNDERWRITER_DEFAULTS.shadowLaneMerchants),
  SHADOW_LANE_LINGER_MS: wholeNumber(0, 3_600_000, UNDERWRITER_DEFAULTS.shadowLaneLingerMs),
  PENDING_DECISION_LINGER_MS: wholeNumber(0, 600_000, UNDERWRITER_DEFAULTS.pendingDecisionLingerMs),
  PENDING_DECISION_MERCHANTS: wholeNumber(1, 1_000, UNDERWRITER_DEFAULTS.pendingDecisionMerchants),
  UNDERWRITER_DATABASE_POOL_SIZE: wholeNumber(2, 100, UNDERWRITER_DEFAULTS.databasePoolSize),
  REDIS_COMMAND_TIMEOUT_MS: wholeNumber(100, 60_000, UNDERWRITER_DEFAULTS.redisCommandTimeoutMs),
  UNDERWRITER_HTTP_PORT: wholeNumber(0, 65_535, UNDERWRITER_DEFAULTS.httpPort),
});

/** Reads and validates the environment; throws InvalidEnvironmentError naming every bad variable. */
export function underwriterOptionsFromEnv(source: EnvSource = process.env): UnderwriterOptions {
  const env = loadEnvWith(underwriterEnvSchema, source);
  return {
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    profileKeyPrefix: env.PROFILE_KEY_PREFIX ?? DEFAULT_KEY_PREFIX,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    groupId: env.UNDERWRITER_GROUP_ID ?? UNDERWRITER_DEFAULTS.groupId,
    clientId: UNDERWRITER_DEFAULTS.clientId,
    batchSize: env.UNDERWRITER_BATCH_SIZE,
    partitionsConsumedConcurrently: env.UNDERWRITER_PARTITIONS_CONCURRENTLY,
    groupMembers: env.UNDERWRITER_GROUP_MEMBERS,
    portfolioBudgetMinor: env.PORTFOLIO_BUDGET_MINOR,
    portfolioBudgetCurrency: env.PORTFOLIO_BUDGET_CURRENCY ?? UNDERWRITER_DEFAULTS.portfolioBudgetCurrency,
    silenceSweepIntervalMs: env.SILENCE_SWEEP_INTERVAL_MS,
    budgetSweepIntervalMs: env.BUDGET_SWEEP_INTERVAL_MS,
    budgetSweepLines: env.BUDGET_SWEEP_LINES,
    shadowLaneIntervalMs: env.SHADOW_LANE_INTERVAL_MS,
    shadowLaneMerchants: env.SHADOW_LANE_MERCHANTS,
    shadowLaneLingerMs: env.SHADOW_LANE_LINGER_MS,
    pendingDecisionLingerMs: env.PENDING_DECISION_LINGER_MS,
    pendingDecisionMerchants: env.PENDING_DECISION_MERCHANTS,
    databasePoolSize: env.UNDERWRITER_DATABASE_POOL_SIZE,
    redisCommandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    httpPort: env.UNDERWRITER_HTTP_PORT,
    healthTimeoutMs: HEALTH_TIMEOUT_MS_DEFAULT,
    logLevels: NEST_LOG_LEVELS[env.LOG_LEVEL],
  };
}
