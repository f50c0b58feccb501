import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { namespacedTopic, Topics } from '@lendstream/contracts';
import { createKafkaClient, createNestMessagingLogger, describeError } from '@lendstream/messaging';
import type { ApiOptions } from '../api-config';
import { API_OPTIONS } from '../api-tokens';
import { type CreditLineFeedItem, creditLineFeedItemOf } from './credit-line-feed-item';

/** What a live-feed listener hears: the feed is live (after a start or a restart), one event, or the process is stopping. */
export type FeedSignal =
  | { readonly kind: 'live' }
  | { readonly kind: 'event'; readonly item: CreditLineFeedItem }
  | { readonly kind: 'closing' };
export type FeedListener = (signal: FeedSignal) => void;

/** Open streams per API process: each holds a connection and a listener. */
export const FEED_LISTENERS_MAX = 100;
const RESTART_DELAY_MS = 5_000;

/** Once the last stream closes, the consumer stops after this long (a reload reconnects within it). */
const IDLE_STOP_MS = 60_000;

/**
 * The live feed of scf.credit-lines.v1 for the dashboard: one Kafka consumer per API process,
 * running while browsers listen, fanning each event out to every open stream.
 *
 * Each process consumes every partition from the newest offset, in a consumer group of its
 * own (`<clientId>-feed-<uuid>`, new at each start), never committing: every replica must see
 * every event (a shared group would split them between replicas), and a feed shows what
 * happens from now on, so there is nothing to resume. The consumer starts with the first
 * stream, stops a minute after the last one closes, and its group is then deleted.
 */
@Injectable()
export class CreditLineFeed implements OnModuleDestroy {
  private readonly logger = new Logger('CreditLineFeed');
  private readonly listeners = new Set<FeedListener>();
  private consumer: { readonly client: Consumer; readonly groupId: string } | undefined;
  private live = false;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(@Inject(API_OPTIONS) private readonly options: ApiOptions) {}

  get isLive(): boolean {
    return this.live;
  }

  /** Adds a listener (starting the consumer if it is the first); false when the process already serves FEED_LISTENERS_MAX. */
  listen(listener: FeedListener): boolean {
    if (this.stopped || this.listeners.size >= FEED_LISTENERS_MAX) return false;
    this.listeners.add(listener);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    // A consumer waiting to be restarted is started by its timer.
    if (this.consumer === undefined && this.restartTimer === undefined) void this.start();
    // After the caller's own tick, so that it has sent its response headers first.
    else if (this.live) setImmediate(() => this.listeners.has(listener) && listener({ kind: 'live' }));
    return true;
  }

  unlisten(listener: FeedListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size > 0 || this.stopped || this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.listeners.size === 0) void this.stopConsumer();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    // Open streams would hold the HTTP server open forever: they end first.
    this.broadcast({ kind: 'closing' });
    this.listeners.clear();
    await this.stopConsumer();
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.live = false;
    if (consumer === undefined) return;
    await consumer.client.disconnect().catch(() => undefined);
    await this.deleteGroup(consumer.groupId);
  }

  private async start(): Promise<void> {
    const kafka = createKafkaClient({
      brokers: this.options.kafkaBrokers,
      clientId: `${this.options.clientId}-feed`,
      logger: createNestMessagingLogger('CreditLineFeedKafka'),
    });
    const groupId = `${this.options.clientId}-feed-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    this.consumer = { client: consumer, groupId };
    const topic = namespacedTopic(Topics.creditLines, this.options.topicNamespace);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.consumer?.client !== consumer) return; // one stopped meanwhile
      this.live = true;
      this.broadcast({ kind: 'live' });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.logger.error(`The live feed's consumer crashed: ${describeError(payload.error)}; restarting it`);
      void this.restart(consumer);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          const item = creditLineFeedItemOf({ key: message.key ?? null, value: message.value ?? null });
          if (item === null) {
            this.logger.warn(
              `Not a credit-line event of the contract on ${topic} at offset ${message.offset}`,
            );
            return;
          }
          this.broadcast({ kind: 'event', item });
        },
      });
    } catch (error) {
      this.logger.warn(`The live feed cannot consume ${topic} yet: ${describeError(error)}; trying again`);
      await this.restart(consumer);
    }
  }

  private async restart(consumer: Consumer): Promise<void> {
    if (this.consumer?.client !== consumer) return;
    const { groupId } = this.consumer;
    this.consumer = undefined;
    this.live = false;
    await consumer.disconnect().catch(() => undefined);
    await this.deleteGroup(groupId);
    if (this.stopped || this.restartTimer !== undefined) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped && this.consumer === undefined && this.listeners.size > 0) void this.start();
    }, RESTART_DELAY_MS);
    this.restartTimer.unref();
  }

  private broadcast(signal: FeedSignal): void {
    for (const listener of [...this.listeners]) listener(signal);
  }

  /** Best effort: an empty group would otherwise linger on the broker until it expires. */
  private async deleteGroup(groupId: string): Promise<void> {
    const admin = createKafkaClient({
      brokers: this.options.kafkaBrokers,
      clientId: `${this.options.clientId}-feed-cleanup`,
      kafkaLogLevel: 'nothing',
      logger: createNestMessagingLogger('CreditLineFeedKafka'),
    }).admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch {
      // The broker forgets empty groups by itself (offsets.retention.minutes).
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
