import { namespacedTopic, Topics } from '@lendstream/contracts';
import {
  backoffDelayMs,
  createKafkaClient,
  DEFAULT_RETRY_POLICY,
  describeError,
  type MessagingLogger,
} from '@lendstream/messaging';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { type DeadLetterEntry, readDeadLetter } from '../dead-letter-entry';

export interface DeadLetterIndexerOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  /** `<namespace>.scf.dlq.v1` when the deployment namespaces its topics. */
  readonly topicNamespace?: string;
  readonly logger: MessagingLogger;
  /** Most records read into one insert (default 500). */
  readonly maxBatchSize?: number;
  /** Writes entries, each once; throwing means "transient": the same entries are written again after a backoff. */
  readonly store: (entries: readonly DeadLetterEntry[]) => Promise<void>;
}

const DEFAULT_BATCH_SIZE = 500;
/** Starting (or restarting after kafkajs gave up) is tried again after this long. */
const RESTART_DELAY_MS = 5_000;

/**
 * Consumes the dead-letter topic into the index. Not on the batch transport, on purpose: the
 * transport decodes every record as a contract event and dead-letters what does not decode,
 * which for the dead-letter topic would loop forever. Here every record is read by the total
 * readDeadLetter, so none is ever refused and a malformed one cannot stall its partition; a
 * failing write (Postgres down) is retried with backoff, never skipped, and offsets are
 * committed only once their entries are written (at least once; the store's unique key makes
 * a redelivery harmless).
 *
 * `start()` returns at once and keeps trying in the background while Kafka is unreachable or
 * the topic is missing, so that the API serves requests whether or not the indexer runs.
 */
export class DeadLetterIndexer {
  private readonly topic: string;
  private readonly maxBatchSize: number;
  private consumer: Consumer | undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private running = false;

  constructor(private readonly options: DeadLetterIndexerOptions) {
    this.topic = namespacedTopic(Topics.deadLetters, options.topicNamespace);
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1 || this.maxBatchSize > 5_000)
      throw new RangeError(`maxBatchSize must be a whole number from 1 to 5000, got ${this.maxBatchSize}`);
  }

  /** Whether it has joined its group and is consuming. */
  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.stopped || this.consumer !== undefined) return;
    void this.connect();
  }

  /** Lets the chunk in flight finish (or abandons one waiting to be retried), leaves the group. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    const consumer = this.consumer;
    this.consumer = undefined;
    this.running = false;
    if (consumer !== undefined) await consumer.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const consumer = createKafkaClient({
      brokers: this.options.brokers,
      clientId: this.options.clientId,
      logger: this.options.logger,
    }).consumer({ groupId: this.options.groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return; // kafkajs restarts it by itself
      this.options.logger.error('The dead-letter indexer crashed; restarting it', {
        error: describeError(payload.error),
      });
      void this.restart(consumer);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.indexBatch(payload),
      });
      this.running = !this.stopped;
      this.options.logger.info('Indexing dead letters', { topic: this.topic, groupId: this.options.groupId });
    } catch (error) {
      this.options.logger.warn('The dead-letter indexer cannot start yet; trying again', {
        topic: this.topic,
        error: describeError(error),
        retryInMs: RESTART_DELAY_MS,
      });
      await this.restart(consumer);
    }
  }

  private async restart(consumer: Consumer): Promise<void> {
    this.running = false;
    await consumer.disconnect().catch(() => undefined);
    if (this.stopped || this.consumer !== consumer) return;
    this.consumer = undefined;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped) void this.connect();
    }, RESTART_DELAY_MS);
    this.restartTimer.unref();
  }

  private async indexBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length; start += this.maxBatchSize) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + this.maxBatchSize);
      const indexedAt = new Date();
      const entries = chunk.map((message) =>
        readDeadLetter(toRecord(batch.topic, batch.partition, message), indexedAt),
      );
      if (!(await this.storeWithRetries(entries, payload))) return;
      payload.resolveOffset(chunk.at(-1)!.offset);
      await payload.heartbeat();
      await payload.commitOffsetsIfNecessary();
    }
  }

  /** Writes the entries, retrying a failure with backoff; false when the partition is gone or the indexer stops first. */
  private async storeWithRetries(
    entries: readonly DeadLetterEntry[],
    payload: EachBatchPayload,
  ): Promise<boolean> {
    for (let failedAttempts = 0; ;) {
      try {
        await this.options.store(entries);
        return true;
      } catch (error) {
        failedAttempts += 1;
        const delayMs = backoffDelayMs(failedAttempts, DEFAULT_RETRY_POLICY, Math.random);
        this.options.logger.warn('Cannot index dead letters; retrying', {
          error: describeError(error),
          failedAttempts,
          retryInMs: delayMs,
        });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (this.stopped || !payload.isRunning() || payload.isStale()) return false;
        await payload.heartbeat().catch(() => undefined);
      }
    }
  }
}

function toRecord(topic: string, partition: number, message: KafkaMessage) {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers,
    timestamp: message.timestamp,
  };
}
