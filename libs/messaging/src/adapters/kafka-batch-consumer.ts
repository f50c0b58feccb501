import { namespacedTopic, TopicName, Topics } from '@lendstream/contracts';
import { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { ResolvedBatchTransportOptions } from '../batch-transport-options';
import { describeError } from '../describe-error';
import { settlesWithin } from '../interruptible-wait';
import { EVENT_PRODUCER_DEFAULTS } from '../event-producer-options';
import type { BatchHandler } from '../inbound';
import { PartitionBatchProcessor, TopicRoute } from '../partition-batch-processor';
import { planSubscriptions } from '../topic-subscriptions';
import { createKafkaClient } from './kafka-client';
import { KafkaDeadLetterPublisher } from './kafka-dead-letter-publisher';
import { createIdempotentProducer } from './kafka-producer';

/** A handler and the contract topic it consumes. */
export interface BatchSubscription {
  readonly topic: TopicName;
  readonly handler: BatchHandler;
}

export type BatchConsumerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

/** Disconnecting a client is quick or hopeless; past this, the consumer moves on without it. */
const DISCONNECT_TIMEOUT_MS = 10_000;

/**
 * The Kafka side of the batch transport, free of Nest: one consumer group running kafkajs
 * `eachBatch` over the subscribed topics, each batch handed to a PartitionBatchProcessor, and
 * one idempotent producer for dead letters. KafkaBatchTransport wraps it for Nest; tests and
 * scripts can use it directly.
 */
export class KafkaBatchConsumer {
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly processor: PartitionBatchProcessor;
  private readonly physicalTopics: readonly string[];
  private readonly deadLetterTopic: string;
  private readonly stopController = new AbortController();
  private readonly crashListeners: Array<(error: Error) => void> = [];
  private currentState: BatchConsumerState = 'idle';
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedBatchTransportOptions,
    subscriptions: readonly BatchSubscription[],
  ) {
    const planned = planSubscriptions(
      subscriptions.map((subscription) => subscription.topic),
      options.topicNamespace,
    );
    const routes = new Map<string, TopicRoute>(
      planned.map((plan, index) => [
        plan.physicalTopic,
        { contractTopic: plan.contractTopic, handler: subscriptions[index]!.handler },
      ]),
    );
    if (routes.size !== subscriptions.length) throw new Error('Two handlers are registered for one topic');
    this.physicalTopics = [...routes.keys()];

    this.kafka = createKafkaClient(options);
    this.producer = createIdempotentProducer(this.kafka);
    this.consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      maxBytes: options.maxBytesPerFetch,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxWaitTimeInMs: options.maxFetchWaitMs,
      allowAutoTopicCreation: false,
    });
    this.deadLetterTopic = namespacedTopic(Topics.deadLetters, options.topicNamespace);
    this.processor = new PartitionBatchProcessor(
      {
        serviceName: options.serviceName,
        groupId: options.groupId,
        maxBatchSize: options.maxBatchSize,
        retryPolicy: options.retry,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
      },
      {
        routes,
        deadLetters: new KafkaDeadLetterPublisher(
          this.producer,
          this.deadLetterTopic,
          EVENT_PRODUCER_DEFAULTS,
        ),
        logger: options.logger,
        stopSignal: this.stopController.signal,
        clock: () => new Date(),
        random: Math.random,
        metrics: options.metrics,
      },
    );
  }

  get state(): BatchConsumerState {
    return this.currentState;
  }

  /** The topics subscribed to, as named on the broker. */
  get topics(): readonly string[] {
    return this.physicalTopics;
  }

  /** Called when kafkajs gives up on the consumer (it restarts it on retriable errors by itself). */
  onCrash(listener: (error: Error) => void): void {
    this.crashListeners.push(listener);
  }

  /** The kafkajs clients, for diagnostics (Nest's `unwrap`). */
  clients(): { readonly consumer: Consumer; readonly producer: Producer } {
    return { consumer: this.consumer, producer: this.producer };
  }

  /** Connects, joins the group and starts consuming; resolves once consumption has started. */
  async start(): Promise<void> {
    if (this.currentState !== 'idle') throw new Error(`Cannot start a consumer that is ${this.currentState}`);
    this.currentState = 'starting';
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) =>
      this.reportCrash(payload.error, payload.restart),
    );
    // A rebalance may have moved partitions away: their last lag is no longer this member's to report.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () =>
      this.options.metrics.forgetLag(this.options.groupId),
    );
    try {
      await this.assertTopicsExist();
      await this.producer.connect();
      await this.consumer.connect();
      await this.subscribe();
      await this.consumer.run({
        autoCommit: true,
        autoCommitInterval: this.options.commitIntervalMs,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.processBatch(payload),
      });
    } catch (error) {
      await this.disconnectQuietly('consumer', this.consumer);
      await this.disconnectQuietly('producer', this.producer);
      this.currentState = 'stopped';
      throw error;
    }
    this.currentState = 'running';
    this.options.logger.info('Consuming', { groupId: this.options.groupId, topics: this.physicalTopics });
  }

  /**
   * Stops taking batches, lets the chunk in flight finish (its offset is committed) within
   * the drain timeout, then leaves the group and disconnects. A chunk that is waiting to be
   * retried is abandoned at once, unresolved: it is redelivered to the next owner of its
   * partition. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    if (this.currentState === 'idle' || this.currentState === 'stopped') {
      this.currentState = 'stopped';
      return;
    }
    this.currentState = 'stopping';
    this.stopController.abort();
    let drained = false;
    try {
      // consumer.stop() waits for the batch in flight, then commits the resolved offsets and leaves the group.
      drained = await settlesWithin(this.consumer.stop(), this.options.drainTimeoutMs);
      if (!drained) {
        this.options.logger.error(
          'The batch in flight did not finish within the drain timeout; disconnecting without it (its records are redelivered unless it completes first)',
          { drainTimeoutMs: this.options.drainTimeoutMs },
        );
      }
    } catch (error) {
      const fields = { error: describeError(error) };
      this.options.logger.error(
        'The consumer failed to stop cleanly; uncommitted records will be redelivered',
        fields,
      );
      drained = true;
    }
    // kafkajs's disconnect waits for the same stop, so after a drain timeout it would hang on
    // the stuck batch: it is left to finish in the background instead.
    if (drained) await this.disconnectQuietly('consumer', this.consumer);
    else void this.consumer.disconnect().catch(() => undefined);
    await this.disconnectQuietly('producer', this.producer);
    this.currentState = 'stopped';
    this.options.logger.info('Stopped consuming', { groupId: this.options.groupId });
  }

  /**
   * Topics are never auto-created. A missing input topic would fail the subscription with
   * kafkajs's cryptic "does not host this topic-partition"; a missing dead-letter topic would
   * surface only at the first bad record, and stall its partition. Both fail the boot instead.
   */
  private async assertTopicsExist(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [...this.physicalTopics, this.deadLetterTopic].filter((topic) => !existing.has(topic));
      if (missing.length > 0)
        throw new Error(`Missing Kafka topics (they are never auto-created): ${missing.join(', ')}`);
    } finally {
      await admin.disconnect();
    }
  }

  private async subscribe(): Promise<void> {
    try {
      await this.consumer.subscribe({
        topics: [...this.physicalTopics],
        fromBeginning: this.options.fromBeginning,
      });
    } catch (error) {
      throw new Error(`Cannot subscribe to ${this.physicalTopics.join(', ')}: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  private processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    return this.processor
      .process(
        {
          topic: batch.topic,
          partition: batch.partition,
          records: batch.messages,
          highWatermark: batch.highWatermark,
        },
        {
          resolveOffset: (offset) => payload.resolveOffset(offset),
          heartbeat: () => payload.heartbeat(),
          commitOffsetsIfNecessary: () => payload.commitOffsetsIfNecessary(),
          isRunning: () => payload.isRunning(),
          isStale: () => payload.isStale(),
        },
      )
      .then(() => undefined);
  }

  private reportCrash(error: Error, restart: boolean): void {
    if (restart) {
      this.options.logger.warn('The consumer crashed and kafkajs restarts it', {
        error: describeError(error),
      });
      return;
    }
    this.currentState = 'crashed';
    this.options.logger.error('The consumer crashed and will not restart', { error: describeError(error) });
    for (const listener of this.crashListeners) listener(error);
  }

  private async disconnectQuietly(name: string, client: Consumer | Producer): Promise<void> {
    try {
      const disconnected = await settlesWithin(client.disconnect(), DISCONNECT_TIMEOUT_MS);
      if (!disconnected) this.options.logger.warn(`The ${name} did not disconnect in time`);
    } catch (error) {
      this.options.logger.warn(`The ${name} failed to disconnect`, { error: describeError(error) });
    }
  }
}
