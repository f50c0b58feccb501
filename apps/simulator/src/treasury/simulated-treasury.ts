import { setMaxListeners } from 'node:events';
import { namespacedTopic, Topics } from '@lendstream/contracts';
import { createKafkaClient, describeError, KafkaEventProducer } from '@lendstream/messaging';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ConfirmationPublisher } from './confirmation-publisher';
import { answerDisbursementBatch, Confirmed } from './disbursement-batch';
import {
  ResolvedTreasuryOptions,
  resolveTreasuryOptions,
  SimulatedTreasuryOptions,
} from './treasury-options';

export type TreasuryState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

export interface TreasuryStats {
  readonly settled: number;
  readonly failed: number;
  /** Invalid records on the requests topic, logged and skipped. */
  readonly skipped: number;
}

/** While a batch waits for its confirmations, it heartbeats and commits this often. */
const KEEP_ALIVE_TICK_MS = 1_000;

/**
 * The treasury of the story, simulated: it consumes `disbursement.requested` from
 * `scf.disbursements.v1` and, `delayMs` after each request arrived, publishes
 * `disbursement.settled` or `disbursement.failed` on `scf.treasury.v1` (decided by
 * `decideDisbursement`: the same request always gets the same answer and event id).
 *
 * At-least-once: a request's offset is committed only after its confirmation is acknowledged
 * by the broker, so a crash redelivers it and the redelivery republishes the same event,
 * which Lendstream's inbox drops. Invalid records are logged and skipped: treasury is an
 * outside system and writes nothing to Lendstream's dead-letter topic.
 *
 *     const treasury = new SimulatedTreasury({ brokers, settings: { delayMs: 2_000, failShareBps: 500 } });
 *     await treasury.start();
 *     ...
 *     await treasury.stop();
 */
export class SimulatedTreasury {
  private readonly options: ResolvedTreasuryOptions;
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;
  private readonly producer: KafkaEventProducer;
  private readonly publisher: ConfirmationPublisher;
  /** Aborted when stopping gives up on confirmations that have not fallen due. */
  private readonly abandon = new AbortController();
  private readonly crashListeners: Array<(error: Error) => void> = [];
  private readonly counts = { settled: 0, failed: 0, skipped: 0 };
  private currentState: TreasuryState = 'idle';
  private stopping: Promise<void> | undefined;

  /** Throws InvalidTreasuryOptionsError, naming the bad option, before anything connects. */
  constructor(options: SimulatedTreasuryOptions) {
    this.options = resolveTreasuryOptions(options);
    // Each batch in flight listens for the abandon signal (plus the publisher and a retry):
    // that many listeners is the design, not a leak.
    setMaxListeners(this.options.partitionsConcurrently + 2, this.abandon.signal);
    const { brokers, clientId, logger, topicNamespace } = this.options;
    this.kafka = createKafkaClient({ brokers, clientId, logger });
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      maxWaitTimeInMs: this.options.maxFetchWaitMs,
      allowAutoTopicCreation: false,
    });
    this.producer = new KafkaEventProducer({
      brokers,
      clientId,
      logger,
      topicNamespace,
      maxMessagesPerRequest: this.options.maxEventsPerPublish,
    });
    this.publisher = new ConfirmationPublisher(this.producer, {
      maxEventsPerPublish: this.options.maxEventsPerPublish,
      retry: this.options.retry,
      logger,
      abandonSignal: this.abandon.signal,
    });
  }

  get state(): TreasuryState {
    return this.currentState;
  }

  get stats(): TreasuryStats {
    return { ...this.counts };
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** The topics as named on the broker: where requests come from and confirmations go. */
  get topics(): { readonly requests: string; readonly confirmations: string } {
    return {
      requests: namespacedTopic(Topics.disbursements, this.options.topicNamespace),
      confirmations: namespacedTopic(Topics.treasury, this.options.topicNamespace),
    };
  }

  /** Called when kafkajs gives up on the consumer (it restarts it on retriable errors by itself). */
  onCrash(listener: (error: Error) => void): void {
    this.crashListeners.push(listener);
  }

  /** Connects, joins the group and starts answering; resolves once consumption has started. */
  async start(): Promise<void> {
    if (this.currentState !== 'idle') throw new Error(`Cannot start a treasury that is ${this.currentState}`);
    this.currentState = 'starting';
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) =>
      this.reportCrash(payload.error, payload.restart),
    );
    try {
      await this.assertTopicsExist();
      await this.producer.connect();
      await this.consumer.connect();
      // A new group starts from the oldest request: every request gets an answer.
      await this.consumer.subscribe({ topics: [this.topics.requests], fromBeginning: true });
      await this.consumer.run({
        autoCommit: true,
        autoCommitInterval: this.options.commitIntervalMs,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConcurrently,
        eachBatch: (payload) => this.answerBatch(payload),
      });
    } catch (error) {
      this.abandon.abort();
      await this.consumer.disconnect().catch(() => undefined);
      await this.producer.disconnect().catch(() => undefined);
      this.currentState = 'stopped';
      throw error;
    }
    this.currentState = 'running';
    this.options.logger.info('Treasury answering disbursement requests', {
      groupId: this.options.groupId,
      requests: this.topics.requests,
      confirmations: this.topics.confirmations,
      ...this.options.settings,
    });
  }

  /**
   * Stops taking requests, lets the confirmations that fall due within the drain timeout be
   * published (their offsets are committed), gives the others up (they stay uncommitted
   * and are answered after a restart), then leaves the group and disconnects. Safe to call
   * more than once.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    if (this.currentState === 'idle' || this.currentState === 'stopped') {
      this.currentState = 'stopped';
      this.abandon.abort();
      return;
    }
    this.currentState = 'stopping';
    const drainTimer = setTimeout(() => this.abandon.abort(), this.options.drainTimeoutMs);
    try {
      // Waits for the batches in flight, then commits their resolved offsets and leaves the group.
      await this.consumer.stop();
    } catch (error) {
      this.options.logger.warn(
        'The consumer failed to stop cleanly; unanswered requests will be redelivered',
        {
          error: describeError(error),
        },
      );
    } finally {
      clearTimeout(drainTimer);
      this.abandon.abort();
    }
    await this.consumer
      .disconnect()
      .catch((error: unknown) =>
        this.options.logger.warn('The consumer failed to disconnect', { error: describeError(error) }),
      );
    await this.producer
      .disconnect()
      .catch((error: unknown) =>
        this.options.logger.warn('The producer failed to disconnect', { error: describeError(error) }),
      );
    this.currentState = 'stopped';
    this.options.logger.info('Treasury stopped', { groupId: this.options.groupId, ...this.counts });
  }

  private answerBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    return answerDisbursementBatch(
      { topic: batch.topic, partition: batch.partition, records: batch.messages },
      {
        resolveOffset: (offset) => payload.resolveOffset(offset),
        commitOffsetsIfNecessary: () => payload.commitOffsetsIfNecessary(),
        heartbeat: () => payload.heartbeat(),
        isStale: () => payload.isStale(),
      },
      {
        settings: this.options.settings,
        publish: (event) => this.publisher.publish(event),
        logger: this.options.logger,
        abandonSignal: this.abandon.signal,
        heartbeatIntervalMs: KEEP_ALIVE_TICK_MS,
        now: Date.now,
        confirmationTimeOf:
          this.options.confirmationTime === 'request'
            ? (request) => new Date(Date.parse(request.requestedAt) + this.options.settings.delayMs)
            : undefined,
        onConfirmed: (confirmed) => this.countConfirmed(confirmed),
        onSkipped: () => (this.counts.skipped += 1),
      },
    );
  }

  private countConfirmed(confirmed: Confirmed): void {
    if (confirmed.event.type === 'disbursement.settled') this.counts.settled += 1;
    else this.counts.failed += 1;
    try {
      this.options.onConfirmed(confirmed);
    } catch (error) {
      // A listener's bug must not hold up the commit of an acknowledged confirmation.
      this.options.logger.error('An onConfirmed listener threw', { error: describeError(error) });
    }
  }

  /** Topics are never auto-created: a missing one fails the start with its name, not a cryptic fetch error. */
  private async assertTopicsExist(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [this.topics.requests, this.topics.confirmations].filter(
        (topic) => !existing.has(topic),
      );
      if (missing.length > 0) {
        throw new Error(`Missing Kafka topics (they are never auto-created): ${missing.join(', ')}`);
      }
    } finally {
      await admin.disconnect();
    }
  }

  private reportCrash(error: Error, restart: boolean): void {
    if (restart) {
      this.options.logger.warn('The treasury consumer crashed and kafkajs restarts it', {
        error: describeError(error),
      });
      return;
    }
    this.currentState = 'crashed';
    this.options.logger.error('The treasury consumer crashed and will not restart', {
      error: describeError(error),
    });
    for (const listener of this.crashListeners) listener(error);
  }
}
