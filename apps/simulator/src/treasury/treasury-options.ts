import {
  brokerList,
  createConsoleLogger,
  DEFAULT_RETRY_POLICY,
  identifier,
  MessagingLogger,
  parseOptions,
  RetryPolicy,
  topicNamespace,
  wholeNumber,
} from '@lendstream/messaging';
import { checkTreasurySettings, DEFAULT_TREASURY_SETTINGS, TreasurySettings } from '@lendstream/simulation';
import { z } from 'zod';
import type { Confirmed } from './disbursement-batch';

export interface SimulatedTreasuryOptions {
  readonly brokers: readonly string[];
  /** Delay, fail share and seed; the defaults are 2 s, 5 % and `lendstream`. */
  readonly settings?: Partial<TreasurySettings>;
  /** Consume `<namespace>.scf.disbursements.v1` and publish to `<namespace>.scf.treasury.v1`. */
  readonly topicNamespace?: string;
  /** The consumer group (default: see `defaultTreasuryGroupId`). */
  readonly groupId?: string;
  readonly clientId?: string;
  /** JSON lines on stderr at `warn` by default (invalid requests are logged there). */
  readonly logger?: MessagingLogger;
  /**
   * Partitions answered at once (default 32, at most 64). kafkajs hands a fetch's batches to
   * this many workers and fetches again once they are all done, so with fewer workers than
   * partitions one partition's delay would hold up the next one's.
   */
  readonly partitionsConcurrently?: number;
  /** On stop, how long confirmations still pending may fall due and be published (default 5 s; 0: none). */
  readonly drainTimeoutMs?: number;
  /** How long the broker may hold a fetch open waiting for requests (default 200 ms). */
  readonly maxFetchWaitMs?: number;
  /** Most confirmations in one publish call (default 500). */
  readonly maxEventsPerPublish?: number;
  /**
   * The group evicts the treasury's consumer when it has not heard from it for this long
   * (default 30 s, at least 9 s: three heartbeats). A consumer that crashed and restarted joins
   * as a new member, and the group waits for the old one's session to end first: a shorter
   * session shortens that stall (the chaos run's broker restarts).
   */
  readonly sessionTimeoutMs?: number;
  /** Backoff between attempts to publish confirmations the broker did not take. */
  readonly retry?: RetryPolicy;
  /** Called with every confirmation once the broker acknowledged it (the demo and tests watch here). */
  readonly onConfirmed?: (confirmed: Confirmed) => void;
  /**
   * What a confirmation's `time` (its business time) is: `wall-clock` (default), when it was
   * decided, as a real treasury would stamp it; or `request`, the request's `requestedAt` plus
   * the delay, for a simulated market running on its own calendar (the demo feeds August's
   * trade in November: a loan must be paid out in August too).
   */
  readonly confirmationTime?: 'wall-clock' | 'request';
}

export interface ResolvedTreasuryOptions {
  readonly brokers: readonly string[];
  readonly settings: TreasurySettings;
  readonly topicNamespace: string | undefined;
  readonly groupId: string;
  readonly clientId: string;
  readonly logger: MessagingLogger;
  readonly partitionsConcurrently: number;
  readonly drainTimeoutMs: number;
  readonly maxFetchWaitMs: number;
  readonly maxEventsPerPublish: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly commitIntervalMs: number;
  readonly retry: RetryPolicy;
  readonly onConfirmed: (confirmed: Confirmed) => void;
  readonly confirmationTime: 'wall-clock' | 'request';
}

export const TREASURY_DEFAULTS = {
  groupId: 'lendstream-simulated-treasury',
  clientId: 'lendstream-simulated-treasury',
  partitionsConcurrently: 32,
  drainTimeoutMs: 5_000,
  maxFetchWaitMs: 200,
  maxEventsPerPublish: 500,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  commitIntervalMs: 1_000,
} as const;

/**
 * The group a treasury joins unless told otherwise: one per namespace, so that treasuries of
 * two namespaces never share a group (and its offsets) over different topics.
 */
export const defaultTreasuryGroupId = (namespace: string | undefined): string =>
  namespace ? `${namespace}-${TREASURY_DEFAULTS.groupId}` : TREASURY_DEFAULTS.groupId;

/** A bad setting or option, named in the message; thrown before anything connects. */
export class InvalidTreasuryOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTreasuryOptionsError';
  }
}

const optionsSchema = z.object({
  brokers: brokerList,
  topicNamespace: topicNamespace.optional(),
  groupId: identifier(255).optional(),
  clientId: identifier(255).default(TREASURY_DEFAULTS.clientId),
  partitionsConcurrently: wholeNumber(1, 64).default(TREASURY_DEFAULTS.partitionsConcurrently),
  drainTimeoutMs: wholeNumber(0, 300_000).default(TREASURY_DEFAULTS.drainTimeoutMs),
  maxFetchWaitMs: wholeNumber(0, 30_000).default(TREASURY_DEFAULTS.maxFetchWaitMs),
  maxEventsPerPublish: wholeNumber(1, 10_000).default(TREASURY_DEFAULTS.maxEventsPerPublish),
  sessionTimeoutMs: wholeNumber(3 * TREASURY_DEFAULTS.heartbeatIntervalMs, 300_000).default(
    TREASURY_DEFAULTS.sessionTimeoutMs,
  ),
});

/** Validates the options and fills in the defaults; throws InvalidTreasuryOptionsError naming what is wrong. */
export function resolveTreasuryOptions(options: SimulatedTreasuryOptions): ResolvedTreasuryOptions {
  const settings = checkTreasurySettings({ ...DEFAULT_TREASURY_SETTINGS, ...options.settings });
  if (!settings.ok) throw new InvalidTreasuryOptionsError(`Invalid treasury settings: ${settings.error}`);
  let parsed: z.output<typeof optionsSchema>;
  try {
    parsed = parseOptions(
      optionsSchema,
      { ...options, brokers: options.brokers && [...options.brokers] },
      'treasury',
    );
  } catch (error) {
    throw new InvalidTreasuryOptionsError((error as Error).message);
  }
  return {
    ...parsed,
    settings: settings.value,
    topicNamespace: parsed.topicNamespace,
    groupId: parsed.groupId ?? defaultTreasuryGroupId(parsed.topicNamespace),
    logger: options.logger ?? createConsoleLogger('warn'),
    sessionTimeoutMs: parsed.sessionTimeoutMs,
    heartbeatIntervalMs: TREASURY_DEFAULTS.heartbeatIntervalMs,
    commitIntervalMs: TREASURY_DEFAULTS.commitIntervalMs,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    onConfirmed: options.onConfirmed ?? (() => undefined),
    confirmationTime: options.confirmationTime ?? 'wall-clock',
  };
}
