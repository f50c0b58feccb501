import { ContractViolation, decodeEvent, err, ok, Result } from '@lendstream/contracts';
import { validateBatchOutcome } from './batch-outcome';
import { chunkByCount } from './chunking';
import { ConsumerMetrics, countBy, lagBefore, noConsumerMetrics, offsetLag } from './consumer-metrics';
import { buildDeadLetter, DeadLetter, describeViolation } from './dead-letter';
import { describeError } from './describe-error';
import type { BatchHandler, InboundBatch, InboundMessage, RejectedMessage } from './inbound';
import { waitWhileHeartbeating } from './interruptible-wait';
import type { ConsumedRecord } from './kafka-record';
import type { MessagingLogger } from './logger';
import { backoffDelayMs, RetryPolicy } from './retry-policy';

/**
 * What happens to one fetched batch of one topic-partition: the heart of the transport,
 * written against small interfaces so that it is tested without a broker (the kafkajs
 * adapter maps its `eachBatch` payload onto them).
 *
 * Order: records are handled in offset order, chunk after chunk; a chunk's offset is
 * resolved only after its handler succeeded and its dead letters are on the broker, so a
 * committed offset never passes a record whose fate is not durable.
 *
 * Transient failures (the handler threw, the dead-letter topic refused a write) are retried
 * with capped exponential backoff, with no limit on the number of attempts: giving up would
 * mean either skipping a good record or dead-lettering it for an outage it did not cause.
 * The retry loop is bounded by the consumer's life instead: it ends as soon as the consumer
 * shuts down or loses the partition, and then leaves the chunk unresolved so that whoever
 * owns the partition next receives it again.
 */

/** One topic-partition's records from one fetch, oldest first. */
export interface PartitionBatch {
  /** The topic as named on the broker (namespaced or not). */
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** The partition's high watermark when the batch was fetched (int64 string), for the lag metric. */
  readonly highWatermark?: string;
}

/** The consumer client's controls for the batch being processed. */
export interface PartitionBatchControls {
  /** Marks every record up to and including `offset` as processed. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  commitOffsetsIfNecessary(): Promise<void>;
  isRunning(): boolean;
  /** True when the partition was sought or reassigned: the rest of the batch is not ours to process. */
  isStale(): boolean;
}

/** Produces dead letters durably (all replicas acknowledged) or throws. */
export interface DeadLetterSink {
  send(deadLetters: readonly DeadLetter[]): Promise<void>;
}

/** The handler registered for a topic, and the contract topic it registered under. */
export interface TopicRoute {
  readonly contractTopic: string;
  readonly handler: BatchHandler;
}

export interface PartitionBatchProcessorSettings {
  readonly serviceName: string;
  /** The consumer group, as the lag metric's label; the service name when none is given. */
  readonly groupId?: string;
  readonly maxBatchSize: number;
  readonly retryPolicy: RetryPolicy;
  readonly heartbeatIntervalMs: number;
}

export interface PartitionBatchProcessorDependencies {
  /** Keyed by the topic as named on the broker. */
  readonly routes: ReadonlyMap<string, TopicRoute>;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Aborted when the consumer starts shutting down. */
  readonly stopSignal: AbortSignal;
  readonly clock: () => Date;
  readonly random: () => number;
  /** Counts what became of the records (none by default). */
  readonly metrics?: ConsumerMetrics;
}

/** `interrupted`: the consumer is stopping or lost the partition; the unresolved rest is redelivered. */
export type BatchProcessingResult = 'completed' | 'interrupted';

/** Raised when a handler's answer breaks the BatchOutcome contract: a bug, retried and logged as an error. */
export class InvalidBatchOutcomeError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'InvalidBatchOutcomeError';
  }
}

interface DecodedChunk {
  readonly records: readonly ConsumedRecord[];
  readonly valid: readonly InboundMessage[];
  readonly invalid: ReadonlyMap<string, ContractViolation>;
}

const STOPPED = Symbol('stopped');

export class PartitionBatchProcessor {
  private readonly metrics: ConsumerMetrics;

  constructor(
    private readonly settings: PartitionBatchProcessorSettings,
    private readonly dependencies: PartitionBatchProcessorDependencies,
  ) {
    this.metrics = dependencies.metrics ?? noConsumerMetrics;
  }

  async process(batch: PartitionBatch, controls: PartitionBatchControls): Promise<BatchProcessingResult> {
    const route = this.dependencies.routes.get(batch.topic);
    if (route === undefined) {
      // The consumer subscribes only to routed topics; a batch from elsewhere is a wiring bug.
      throw new Error(`No handler is routed for topic ${batch.topic}`);
    }
    // The lag as fetched, before any of it is handled: a chunk stuck in retries keeps showing it.
    if (batch.records.length > 0)
      this.recordLag(route, batch, lagBefore(batch.highWatermark, batch.records[0]!.offset));
    for (const records of chunkByCount(batch.records, this.settings.maxBatchSize)) {
      if (this.mustStop(controls)) return 'interrupted';
      const chunk = this.decode(batch, route, records);
      const completed = await this.processChunk(batch, route, chunk, controls);
      if (!completed) return 'interrupted';
    }
    return 'completed';
  }

  private async processChunk(
    batch: PartitionBatch,
    route: TopicRoute,
    chunk: DecodedChunk,
    controls: PartitionBatchControls,
  ): Promise<boolean> {
    let rejected: readonly RejectedMessage[] = [];
    if (chunk.valid.length > 0) {
      const inbound: InboundBatch = {
        topic: route.contractTopic,
        partition: batch.partition,
        messages: chunk.valid,
      };
      const handled = await this.retryUntilSuccess(batch, chunk, controls, 'handler', () =>
        this.handle(route, inbound),
      );
      if (handled === STOPPED) return false;
      rejected = handled;
      this.metrics.recordConsumed(
        route.contractTopic,
        countBy(chunk.valid, (message) => message.event.type),
      );
    }

    const deadLetters = this.deadLettersOf(batch, chunk, rejected);
    if (deadLetters.length > 0) {
      const sent = await this.retryUntilSuccess(batch, chunk, controls, 'dead-letter publish', () =>
        this.dependencies.deadLetters.send(deadLetters),
      );
      if (sent === STOPPED) return false;
      this.metrics.recordDeadLettered(
        route.contractTopic,
        countBy(deadLetters, (deadLetter) => deadLetter.violation.reason),
      );
      this.dependencies.logger.warn('Dead-lettered records', summariseDeadLetters(batch, chunk, deadLetters));
    }

    const lastOffset = chunk.records[chunk.records.length - 1]!.offset;
    controls.resolveOffset(lastOffset);
    this.recordLag(route, batch, offsetLag(batch.highWatermark, lastOffset));
    await controls.heartbeat();
    await controls.commitOffsetsIfNecessary();
    return true;
  }

  private recordLag(route: TopicRoute, batch: PartitionBatch, lag: number | undefined): void {
    if (lag === undefined) return;
    const groupId = this.settings.groupId ?? this.settings.serviceName;
    this.metrics.recordLag({ groupId, topic: route.contractTopic, partition: batch.partition }, lag);
  }

  private decode(batch: PartitionBatch, route: TopicRoute, records: readonly ConsumedRecord[]): DecodedChunk {
    const valid: InboundMessage[] = [];
    const invalid = new Map<string, ContractViolation>();
    for (const record of records) {
      const decoded = decodeEvent({ topic: batch.topic, key: record.key, value: record.value });
      if (!decoded.ok) {
        invalid.set(record.offset, decoded.error);
        continue;
      }
      valid.push({
        topic: route.contractTopic,
        partition: batch.partition,
        offset: record.offset,
        key: record.key === null ? null : record.key.toString('utf8'),
        event: decoded.value,
      });
    }
    return { records, valid, invalid };
  }

  private async handle(route: TopicRoute, inbound: InboundBatch): Promise<readonly RejectedMessage[]> {
    const outcome: unknown = await route.handler(inbound);
    const offsets = new Set(inbound.messages.map((message) => message.offset));
    const checked = validateBatchOutcome(outcome, offsets);
    if (!checked.ok) throw new InvalidBatchOutcomeError(checked.error);
    return checked.value;
  }

  /** The chunk's undecodable records and the handler's rejections, in offset order. */
  private deadLettersOf(
    batch: PartitionBatch,
    chunk: DecodedChunk,
    rejected: readonly RejectedMessage[],
  ): DeadLetter[] {
    const rejectedByOffset = new Map(rejected.map((rejection) => [rejection.offset, rejection.violation]));
    const at = this.dependencies.clock();
    const deadLetters: DeadLetter[] = [];
    for (const record of chunk.records) {
      const violation = chunk.invalid.get(record.offset) ?? rejectedByOffset.get(record.offset);
      if (violation === undefined) continue;
      const source = { topic: batch.topic, partition: batch.partition, offset: record.offset };
      deadLetters.push(buildDeadLetter(record, source, violation, this.settings.serviceName, at));
    }
    return deadLetters;
  }

  /**
   * Runs `operation` until it succeeds, or until the consumer stops or loses the partition
   * (then STOPPED). See the file comment for why attempts are not limited.
   */
  private async retryUntilSuccess<T>(
    batch: PartitionBatch,
    chunk: DecodedChunk,
    controls: PartitionBatchControls,
    what: string,
    operation: () => Promise<T>,
  ): Promise<T | typeof STOPPED> {
    for (let failedAttempts = 0; ; failedAttempts += 1) {
      const attempt = await attemptOnce(operation);
      if (attempt.ok) {
        if (failedAttempts > 0)
          this.dependencies.logger.info(`The ${what} succeeded after retries`, {
            ...this.position(batch, chunk),
            failedAttempts,
          });
        return attempt.value;
      }
      const fields = {
        ...this.position(batch, chunk),
        attempt: failedAttempts + 1,
        error: describeError(attempt.error),
      };
      if (this.mustStop(controls)) {
        this.dependencies.logger.warn(
          `The ${what} failed while the consumer is stopping; the chunk is left for redelivery`,
          fields,
        );
        return STOPPED;
      }
      const delayMs = backoffDelayMs(failedAttempts + 1, this.settings.retryPolicy, this.dependencies.random);
      const message = `The ${what} failed; retrying the same chunk`;
      // A broken outcome is a bug, not an outage: it is retried too (committing on its word
      // could lose records), but it deserves an error, not a warning.
      if (attempt.error instanceof InvalidBatchOutcomeError)
        this.dependencies.logger.error(message, { ...fields, retryInMs: delayMs });
      else this.dependencies.logger.warn(message, { ...fields, retryInMs: delayMs });
      const waited = await waitWhileHeartbeating({
        delayMs,
        heartbeatIntervalMs: this.settings.heartbeatIntervalMs,
        heartbeat: () => controls.heartbeat(),
        signal: this.dependencies.stopSignal,
        shouldContinue: () => !this.mustStop(controls),
      });
      if (!waited) {
        this.dependencies.logger.info(
          'Stopped retrying; the chunk is left for redelivery',
          this.position(batch, chunk),
        );
        return STOPPED;
      }
    }
  }

  private mustStop(controls: PartitionBatchControls): boolean {
    return this.dependencies.stopSignal.aborted || !controls.isRunning() || controls.isStale();
  }

  /** Where a chunk sits, and which events it holds: every line about a chunk names them. */
  private position(batch: PartitionBatch, chunk: DecodedChunk): Record<string, unknown> {
    return {
      topic: batch.topic,
      partition: batch.partition,
      firstOffset: chunk.records[0]?.offset,
      lastOffset: chunk.records[chunk.records.length - 1]?.offset,
      ...eventIdFields(chunk.valid),
    };
  }
}

/** A log line names at most this many event ids; the offsets bound the rest. */
const EVENT_IDS_PER_LOG_LINE = 10;

/** `eventId` when the chunk holds one event, `eventIds` (the first few) when it holds more. */
function eventIdFields(messages: readonly InboundMessage[]): Record<string, unknown> {
  if (messages.length === 0) return {};
  if (messages.length === 1) return { eventId: messages[0]!.event.id };
  return {
    eventIds: messages.slice(0, EVENT_IDS_PER_LOG_LINE).map((message) => message.event.id),
    eventCount: messages.length,
  };
}

/** A flood of poison makes one log line per chunk, not one per record; the first few are detailed. */
const DEAD_LETTERS_DETAILED_PER_LOG_LINE = 10;

function summariseDeadLetters(
  batch: PartitionBatch,
  chunk: DecodedChunk,
  deadLetters: readonly DeadLetter[],
): Record<string, unknown> {
  const countByReason: Record<string, number> = {};
  for (const deadLetter of deadLetters) {
    countByReason[deadLetter.violation.reason] = (countByReason[deadLetter.violation.reason] ?? 0) + 1;
  }
  // A record the handler rejected was decoded, so its event id is known; an undecodable one has none.
  const eventIdByOffset = new Map(chunk.valid.map((message) => [message.offset, message.event.id]));
  const first = deadLetters.slice(0, DEAD_LETTERS_DETAILED_PER_LOG_LINE).map((deadLetter) => ({
    offset: deadLetter.source.offset,
    eventId: eventIdByOffset.get(deadLetter.source.offset),
    reason: deadLetter.violation.reason,
    error: describeViolation(deadLetter.violation),
  }));
  // A line about one record names it at the top level too, as every other line about one event does.
  const single = deadLetters.length === 1 ? { offset: first[0]!.offset, eventId: first[0]!.eventId } : {};
  return {
    topic: batch.topic,
    partition: batch.partition,
    ...single,
    count: deadLetters.length,
    countByReason,
    first,
  };
}

async function attemptOnce<T>(operation: () => Promise<T>): Promise<Result<T, unknown>> {
  try {
    return ok(await operation());
  } catch (error) {
    return err(error);
  }
}
