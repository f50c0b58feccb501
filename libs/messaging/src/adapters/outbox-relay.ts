import type { DataSource } from 'typeorm';
import { describeError } from '../describe-error';
import { settlesWithin, sleep } from '../interruptible-wait';
import {
  groupOutboxRowsByTopic,
  OutboxPublisher,
  outboxRowToMessage,
  PendingOutboxRow,
} from '../outbox-messages';
import {
  OutboxRelayOptions,
  ResolvedOutboxRelayOptions,
  resolveOutboxRelayOptions,
} from '../outbox-relay-options';
import { nextRound, RelayRoundOutcome } from '../outbox-relay-schedule';
import type { OutboxBacklog, OutboxRelayState, OutboxRelayStatus } from '../outbox-relay-status';
import { RelayWakeup } from '../outbox-relay-wakeup';
import { OutboxShardOwnership } from './outbox-shard-ownership';
import {
  countFailedAttempt,
  deleteSentRows,
  markRowsSent,
  outboxBacklog,
  selectPendingRows,
} from './outbox-store';

export interface OutboxRelayDependencies {
  /** The app's DataSource: pooled connections for the relay's statements, its settings for the relay's own session. */
  readonly dataSource: DataSource;
  /** Usually the app's KafkaEventProducer (connected, idempotent; it adds the topic namespace). */
  readonly publisher: OutboxPublisher;
  /** For the jitter of backoffs and the choice of a first shard; Math.random by default. */
  readonly random?: () => number;
}

/** Shard 0's holder purges: exactly one relay at a time, and always some relay. */
const PURGING_SHARD = 0;

/**
 * Publishes the outbox: each round takes the oldest pending rows of the shards this relay
 * holds (at most `batchSize`), publishes them topic by topic in id order, then marks them
 * sent. At least once, in order per key:
 * - a crash before the mark leaves the rows pending; they are published again, same ids and
 *   bytes (consumers deduplicate on the id), and never skipped, so a key's first copies stay
 *   in order;
 * - several relays split the keys by shard, each shard held by one relay at a time through a
 *   session-level advisory lock that a crash releases (outbox-shards.ts);
 * - a failed publish (Kafka down) keeps the rows pending, counts an attempt, and backs off.
 */
export class OutboxRelay {
  private readonly options: ResolvedOutboxRelayOptions;
  private readonly random: () => number;
  private readonly wakeup = new RelayWakeup();
  private readonly stopController = new AbortController();
  private readonly shards: OutboxShardOwnership;
  private currentState: OutboxRelayState = 'idle';
  private starting: Promise<void> | undefined;
  private activity: Promise<unknown> | undefined;
  private stopping: Promise<void> | undefined;
  private publishedRows = 0;
  private failedRounds = 0;
  private consecutiveFailures = 0;
  private lastError: string | undefined;

  constructor(
    private readonly dependencies: OutboxRelayDependencies,
    options: OutboxRelayOptions = {},
  ) {
    this.options = resolveOutboxRelayOptions(options);
    this.random = dependencies.random ?? Math.random;
    this.shards = new OutboxShardOwnership(dependencies.dataSource, {
      relayName: this.options.relayName,
      shardCount: this.options.shardCount,
      rebalanceIntervalMs: this.options.rebalanceIntervalMs,
      onInsert: this.options.listenForInserts ? () => this.wakeup.notifyInsert() : undefined,
      random: this.random,
      logger: this.options.logger,
    });
  }

  /** Opens the relay's session, takes its first shards and starts publishing. Fails if Postgres cannot be reached. */
  start(): Promise<void> {
    if (this.currentState !== 'idle') {
      return Promise.reject(new Error(`Cannot start an outbox relay that is ${this.currentState}`));
    }
    this.currentState = 'starting';
    this.starting = this.startOnce();
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    try {
      await this.shards.current();
    } catch (error) {
      this.currentState = 'stopped';
      throw error;
    }
    if (this.stopController.signal.aborted) return; // stop() came first; it closes the session.
    this.currentState = 'running';
    this.activity = Promise.all([this.runRounds(), this.runPurges()]);
    this.options.logger.info('Outbox relay started', {
      relay: this.options.relayName,
      schema: this.shards.schema,
      shards: this.shards.held(),
    });
  }

  /**
   * Stops taking rounds, waits for the one in flight (publish and mark; at most
   * `stopTimeoutMs`), then ends the relay's session, which frees its shards for the other
   * relays. The producer and the DataSource stay open: they belong to the caller.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  status(): OutboxRelayStatus {
    return {
      state: this.currentState,
      heldShards: this.shards.held(),
      publishedRows: this.publishedRows,
      failedRounds: this.failedRounds,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      sessionsOpened: this.shards.sessionsOpened,
    };
  }

  /** Pending rows of the whole outbox (every shard), for metrics. */
  outboxBacklog(): Promise<OutboxBacklog> {
    return outboxBacklog(this.dependencies.dataSource.manager, this.options.backlogCountCap);
  }

  /** Deletes rows sent more than `retentionMs` ago, in bounded chunks; the shard-0 relay runs it every `purgeIntervalMs`. */
  purgeSent(): Promise<number> {
    const { retentionMs, purgeChunkSize: chunkSize, purgeMaxChunks: maxChunks } = this.options;
    return deleteSentRows(
      this.dependencies.dataSource.manager,
      { retentionMs, chunkSize, maxChunks },
      () => !this.stopController.signal.aborted,
    );
  }

  private async stopOnce(): Promise<void> {
    if (this.currentState === 'idle' || this.currentState === 'stopped') {
      this.currentState = 'stopped';
      return;
    }
    this.currentState = 'stopping';
    this.stopController.abort();
    await this.starting?.catch(() => undefined);
    const finished = await settlesWithin(this.activity ?? Promise.resolve(), this.options.stopTimeoutMs);
    if (!finished) {
      this.options.logger.error(
        'The outbox round in flight did not finish in time; its rows stay pending and will be published again',
        { relay: this.options.relayName, stopTimeoutMs: this.options.stopTimeoutMs },
      );
    }
    await this.shards.close();
    this.currentState = 'stopped';
    this.options.logger.info('Outbox relay stopped', { relay: this.options.relayName });
  }

  /** The service loop: runs until stop(); each round is bounded, and each sleep ends on stop. */
  private async runRounds(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      const next = nextRound(await this.runRound(), this.options, this.random);
      await this.wakeup.sleep(next.delayMs, next.wakeOnInsert, signal);
    }
  }

  /** One round. Never throws: a failure is an outcome, and the loop backs off. */
  private async runRound(): Promise<RelayRoundOutcome> {
    try {
      const held = await this.shards.current();
      if (held.length === 0) return { kind: 'no-shards' };
      const manager = this.dependencies.dataSource.manager;
      const { shardCount, batchSize } = this.options;
      const rows = await selectPendingRows(manager, { shardCount, held }, batchSize);
      const rowCount = rows.length === 0 ? 0 : await this.publishAndMark(rows);
      this.consecutiveFailures = 0;
      return rowCount === 0 ? { kind: 'idle' } : { kind: 'published', rowCount };
    } catch (error) {
      this.failedRounds += 1;
      this.consecutiveFailures += 1;
      this.lastError = describeError(error);
      // A few failures are an outage being ridden out; many in a row need a person.
      const log = this.consecutiveFailures >= this.options.stuckAttemptsThreshold ? 'error' : 'warn';
      this.options.logger[log]('Outbox round failed; its rows stay pending and are retried after a backoff', {
        relay: this.options.relayName,
        consecutiveFailures: this.consecutiveFailures,
        error: this.lastError,
      });
      return { kind: 'failed', consecutiveFailures: this.consecutiveFailures };
    }
  }

  /**
   * Publishes topic by topic and marks what Kafka acknowledged. A topic that fails stops the
   * round (later topics wait for the retry), after the topics before it are marked.
   */
  private async publishAndMark(rows: readonly PendingOutboxRow[]): Promise<number> {
    const { published, failure } = await this.publishTopicByTopic(rows);
    if (published.length > 0) await this.markPublished(published);
    if (failure !== undefined) {
      await countFailedAttempt(this.dependencies.dataSource.manager, idsOf(failure.rows));
      this.reportStuckRows(failure.rows, failure.error);
      throw failure.error;
    }
    return published.length;
  }

  private async publishTopicByTopic(rows: readonly PendingOutboxRow[]): Promise<{
    published: PendingOutboxRow[];
    failure: { rows: readonly PendingOutboxRow[]; error: unknown } | undefined;
  }> {
    const published: PendingOutboxRow[] = [];
    for (const batch of groupOutboxRowsByTopic(rows)) {
      try {
        await this.dependencies.publisher.publish(batch.topic, batch.rows.map(outboxRowToMessage));
        published.push(...batch.rows);
      } catch (error) {
        return { published, failure: { rows: batch.rows, error } };
      }
    }
    return { published, failure: undefined };
  }

  private async markPublished(published: readonly PendingOutboxRow[]): Promise<void> {
    const manager = this.dependencies.dataSource.manager;
    try {
      await this.options.afterPublishBeforeMark?.(published);
    } catch (error) {
      // The test seam's crash: nothing is marked, as if the process had died here.
      await countFailedAttempt(manager, idsOf(published));
      throw error;
    }
    const marked = await markRowsSent(manager, idsOf(published));
    this.publishedRows += marked;
    if (marked < published.length) {
      this.options.logger.warn('Some published outbox rows were already marked sent by another relay', {
        relay: this.options.relayName,
        published: published.length,
        marked,
      });
    }
  }

  private reportStuckRows(rows: readonly PendingOutboxRow[], error: unknown): void {
    const attempts = Math.max(...rows.map((row) => row.attempts + 1));
    if (attempts < this.options.stuckAttemptsThreshold) return;
    this.options.logger.error('Outbox rows keep failing to publish; their keys are held back until they go', {
      relay: this.options.relayName,
      topic: rows[0]?.topic,
      firstRowId: rows[0]?.id,
      eventIds: rows.slice(0, 10).map((row) => row.eventId),
      attempts,
      error: describeError(error),
    });
  }

  /** Purges sent rows every `purgeIntervalMs`, on the relay that holds shard 0. */
  private async runPurges(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      await sleep(this.options.purgeIntervalMs, signal);
      if (signal.aborted || !this.shards.holds(PURGING_SHARD)) continue;
      try {
        const deleted = await this.purgeSent();
        if (deleted > 0) this.options.logger.info('Purged sent outbox rows', { deleted });
      } catch (error) {
        this.options.logger.warn('Purging sent outbox rows failed; the next run tries again', {
          error: describeError(error),
        });
      }
    }
  }
}

const idsOf = (rows: readonly PendingOutboxRow[]): string[] => rows.map((row) => row.id);
