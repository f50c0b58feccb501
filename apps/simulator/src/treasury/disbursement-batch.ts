import { decodeEvent, EventData } from '@lendstream/contracts';
import { describeError, MessagingLogger } from '@lendstream/messaging';
import {
  ConfirmationEvent,
  confirmationDueAtMs,
  confirmationEvent,
  decideDisbursement,
  TreasurySettings,
} from '@lendstream/simulation';
import { ConfirmationAbandonedError } from './confirmation-publisher';
import { OffsetWatermark } from './offset-watermark';

/** A consumed record, as much of it as the treasury reads (kafkajs's KafkaMessage fits). */
export interface DisbursementRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** When the record reached the log, epoch ms as a decimal string. */
  readonly timestamp: string;
}

export interface DisbursementBatch {
  /** The topic as named on the broker (namespaced or not). */
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly DisbursementRecord[];
}

/** What the consumer lets a batch do (kafkajs's EachBatchPayload fits). */
export interface BatchControls {
  resolveOffset(offset: string): void;
  /** Commits the resolved offsets when the commit interval has passed. */
  commitOffsetsIfNecessary(): Promise<void>;
  /** Rejects when the group is rebalancing: the batch must then give its partition up. */
  heartbeat(): Promise<void>;
  /** True when the partition was seeked: this batch's records are stale. */
  isStale(): boolean;
}

/** A confirmation that was acknowledged by the broker. */
export interface Confirmed {
  readonly event: ConfirmationEvent;
  readonly request: DisbursementRequestData;
  readonly partition: number;
  readonly offset: string;
  /** When the confirmation was due (the request's arrival on the topic plus the delay), epoch ms. */
  readonly dueAtMs: number;
  /** When the broker acknowledged it, epoch ms. */
  readonly acknowledgedAtMs: number;
}

export interface BatchDependencies {
  readonly settings: TreasurySettings;
  /** Resolves once the broker acknowledged the event; rejects when the treasury stops first. */
  readonly publish: (event: ConfirmationEvent) => Promise<void>;
  readonly logger: MessagingLogger;
  /** Aborted when the treasury stops waiting for confirmations still to fall due. */
  readonly abandonSignal: AbortSignal;
  /** How often the batch heartbeats (and commits) while its confirmations are pending. */
  readonly heartbeatIntervalMs: number;
  readonly now: () => number;
  /** The confirmation's business time (default: now()). */
  readonly confirmationTimeOf?: (request: DisbursementRequestData) => Date;
  readonly onConfirmed: (confirmed: Confirmed) => void;
  /** An invalid record, logged and skipped (treasury is an outside system: it writes no dead letter). */
  readonly onSkipped: () => void;
}

/**
 * Answers one batch of `disbursement.requested` records. Every request waits out its own
 * delay, counted from its arrival on the topic, at the same time as the others (a hundred
 * requests with a 2 s delay take 2 s, not 200), is decided, and its confirmation published;
 * an offset is resolved only once the confirmations of it and of every offset before it are
 * acknowledged (at-least-once: a crash redelivers, and the redelivery republishes the same
 * event id).
 *
 * Resolves when every record is answered, or, when the treasury stops or the partition is
 * taken away, once the confirmations already being published have settled: the requests
 * not yet answered stay uncommitted and go to the partition's next owner. Rejects with the
 * heartbeat's error when the group rebalances, so that the consumer rejoins.
 */
export async function answerDisbursementBatch(
  batch: DisbursementBatch,
  controls: BatchControls,
  dependencies: BatchDependencies,
): Promise<void> {
  const watermark = new OffsetWatermark(batch.records.map((record) => record.offset));
  const markDone = (offset: string): void => {
    const resolvable = watermark.complete(offset);
    if (resolvable !== undefined) controls.resolveOffset(resolvable);
  };
  const giveUp = new AbortController();
  const onAbandon = (): void => giveUp.abort();
  dependencies.abandonSignal.addEventListener('abort', onAbandon, { once: true });
  if (dependencies.abandonSignal.aborted) giveUp.abort();

  const receivedAtMs = dependencies.now();
  const scheduled: ScheduledRequest[] = [];
  for (const record of batch.records) {
    const request = readRequest(batch, record, dependencies.logger);
    if (request === undefined) {
      dependencies.onSkipped();
      markDone(record.offset);
      continue;
    }
    const dueAtMs = confirmationDueAtMs({
      appendedAtMs: Number(record.timestamp),
      receivedAtMs,
      delayMs: dependencies.settings.delayMs,
    });
    scheduled.push({ offset: record.offset, request, dueAtMs });
  }
  // One timer for the whole batch, moving from one due time to the next (a stable sort keeps
  // log order among requests due together); the publisher sends those due together at once.
  scheduled.sort((a, b) => a.dueAtMs - b.dueAtMs);

  const keepAlive = keepPartitionWhilePending(controls, giveUp, dependencies.heartbeatIntervalMs);
  const confirmations: Promise<void>[] = [];
  for (let next = 0; next < scheduled.length;) {
    if (!(await waitUntil(scheduled[next]!.dueAtMs, dependencies.now, giveUp.signal))) break;
    const nowMs = dependencies.now();
    for (; next < scheduled.length && scheduled[next]!.dueAtMs <= nowMs; next += 1) {
      const entry = scheduled[next]!;
      confirmations.push(
        confirm(batch, entry, dependencies).then((acknowledged) => {
          if (acknowledged) markDone(entry.offset);
        }),
      );
    }
  }
  const outcomes = await Promise.allSettled(confirmations);
  dependencies.abandonSignal.removeEventListener('abort', onAbandon);
  const rebalance = await keepAlive.stop();
  if (rebalance !== undefined) throw rebalance;
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  await controls.commitOffsetsIfNecessary();
}

type DisbursementRequestData = EventData<'disbursement.requested'>;

interface ScheduledRequest {
  readonly offset: string;
  readonly request: DisbursementRequestData;
  readonly dueAtMs: number;
}

/** The request a record holds, or undefined (logged) when it holds none. */
function readRequest(
  batch: DisbursementBatch,
  record: DisbursementRecord,
  logger: MessagingLogger,
): DisbursementRequestData | undefined {
  const decoded = decodeEvent({ topic: batch.topic, key: record.key, value: record.value });
  if (decoded.ok && decoded.value.type === 'disbursement.requested') return decoded.value.data;
  const problem = decoded.ok
    ? {
        reason: 'UNEXPECTED_TYPE',
        error: `treasury answers disbursement.requested, not ${decoded.value.type}`,
      }
    : { reason: decoded.error.reason, error: decoded.error.message };
  logger.warn('Skipping an invalid disbursement request', {
    topic: batch.topic,
    partition: batch.partition,
    offset: record.offset,
    ...problem,
  });
  return undefined;
}

/** Decides and publishes; true once the broker acknowledged, false if the treasury stopped first. */
async function confirm(
  batch: DisbursementBatch,
  { offset, request, dueAtMs }: ScheduledRequest,
  dependencies: BatchDependencies,
): Promise<boolean> {
  const decision = decideDisbursement(request.disbursementId, dependencies.settings);
  const event = confirmationEvent(
    request,
    decision,
    dependencies.confirmationTimeOf?.(request) ?? new Date(dependencies.now()),
  );
  try {
    await dependencies.publish(event);
  } catch (error) {
    if (error instanceof ConfirmationAbandonedError) return false;
    throw error;
  }
  dependencies.onConfirmed({
    event,
    request,
    partition: batch.partition,
    offset,
    dueAtMs,
    acknowledgedAtMs: dependencies.now(),
  });
  return true;
}

/** Waits until `dueAtMs`; false when `signal` aborts first. Timers can fire a little early, hence the loop. */
async function waitUntil(dueAtMs: number, now: () => number, signal: AbortSignal): Promise<boolean> {
  for (let remainingMs = dueAtMs - now(); remainingMs > 0; remainingMs = dueAtMs - now()) {
    if (!(await sleep(remainingMs, signal))) return false;
  }
  return !signal.aborted;
}

/** True after `delayMs`, false as soon as `signal` aborts. */
function sleep(delayMs: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface KeepAlive {
  /** Stops heartbeating; resolves with the heartbeat's error if the group started rebalancing. */
  stop(): Promise<Error | undefined>;
}

/**
 * While confirmations are pending, the consumer's own loop is blocked in this batch, so the
 * batch heartbeats (kafkajs sends one only when the interval has passed) and commits what
 * is resolved. A heartbeat that fails means the group is rebalancing, and a stale batch
 * means the partition was seeked: either way the pending requests are given up.
 */
function keepPartitionWhilePending(
  controls: BatchControls,
  giveUp: AbortController,
  intervalMs: number,
): KeepAlive {
  let rebalance: Error | undefined;
  let tick: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    tick = tick.then(async () => {
      if (giveUp.signal.aborted) return;
      if (controls.isStale()) return giveUp.abort();
      try {
        await controls.heartbeat();
        await controls.commitOffsetsIfNecessary();
      } catch (error) {
        rebalance = error instanceof Error ? error : new Error(describeError(error));
        giveUp.abort();
      }
    });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await tick;
      return rebalance;
    },
  };
}
