import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  KafkaBatchTransportOptions,
  ResolvedBatchTransportOptions,
  resolveBatchTransportOptions,
} from '../batch-transport-options';
import type { BatchHandler, BatchOutcome, InboundBatch } from '../inbound';
import { isContractTopic } from '../topic-subscriptions';
import type { BatchSubscription } from './kafka-batch-consumer';
import { KafkaBatchMembers } from './kafka-batch-members';
import { KafkaBatchContext } from './kafka-batch-context';
import { createNestMessagingLogger } from './nest-messaging-logger';

export type KafkaBatchTransportStatus = 'disconnected' | 'connected' | 'crashed';

// A type alias, not an interface: Server's event map must be indexable by string.
export type KafkaBatchTransportEvents = {
  /** kafkajs gave up on the consumer: the app should exit (and be restarted) or report unhealthy. */
  crash: (error: Error) => void;
};

/**
 * A Nest custom transport on kafkajs `eachBatch`. Controllers register one handler per
 * contract topic with `@EventPattern(Topics.orders)`; it receives an `InboundBatch` of decoded,
 * valid events from one partition, oldest first, and returns a `BatchOutcome` (inbound.ts).
 *
 *     const app = await NestFactory.createMicroservice(AppModule, {
 *       strategy: new KafkaBatchTransport({ brokers, clientId, groupId, serviceName }),
 *     });
 *
 * Undecodable records and rejected events go to the dead-letter topic and consumption moves
 * on; a handler that throws has its chunk retried with backoff until it succeeds or the app
 * closes (see PartitionBatchProcessor). `app.close()` drains the chunk in flight first.
 * Delivery is at least once: handlers deduplicate (inbox rows, profile positions).
 */
export class KafkaBatchTransport
  extends Server<KafkaBatchTransportEvents, KafkaBatchTransportStatus>
  implements CustomTransportStrategy
{
  private readonly options: ResolvedBatchTransportOptions;
  private members: KafkaBatchMembers | undefined;
  private readonly crashListeners: Array<(error: Error) => void> = [];

  constructor(options: KafkaBatchTransportOptions) {
    super();
    // Validated here, so a bad option fails at construction, before Nest boots anything.
    this.options = resolveBatchTransportOptions({
      ...options,
      logger: options.logger ?? createNestMessagingLogger(KafkaBatchTransport.name),
    });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      if (this.members !== undefined) throw new Error('The Kafka batch transport is already listening');
      this.members = new KafkaBatchMembers(this.options, this.collectSubscriptions());
      this.members.onCrash((error) => this.reportCrash(error));
      await this.members.start();
      this._status$.next('connected');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.members?.stop();
    this._status$.next('disconnected');
  }

  on<
    EventKey extends keyof KafkaBatchTransportEvents,
    EventCallback extends KafkaBatchTransportEvents[EventKey],
  >(event: EventKey, callback: EventCallback): void {
    if (event !== 'crash') throw new Error(`The Kafka batch transport emits no "${String(event)}" event`);
    this.crashListeners.push(callback);
  }

  /** The kafkajs consumer and dead-letter producer of each group member, for diagnostics. */
  unwrap<T>(): T {
    if (this.members === undefined) throw new Error('Not listening yet: call app.listen() first');
    return this.members.clients() as T;
  }

  private collectSubscriptions(): BatchSubscription[] {
    return [...this.getHandlers()].map(([pattern, handler]) => {
      if (!handler.isEventHandler) {
        throw new Error(
          `@MessagePattern("${pattern}") is not supported: Kafka input is events; use @EventPattern`,
        );
      }
      if (handler.next !== undefined) {
        // Two handlers would each answer for the same records, and their outcomes could disagree.
        throw new Error(
          `More than one @EventPattern handler is registered for "${pattern}"; register one per topic`,
        );
      }
      if (!isContractTopic(pattern)) {
        throw new Error(
          `"${pattern}" is not a contract topic: register handlers with @EventPattern(Topics.<name>)`,
        );
      }
      return { topic: pattern, handler: this.toBatchHandler(handler) };
    });
  }

  /**
   * Calls the Nest handler (guards, interceptors, pipes and filters included) and returns its
   * outcome. Nest's exception filter turns a throw into an erroring observable (after logging
   * the original error), which rejects here: the chunk is retried.
   */
  private toBatchHandler(handler: MessageHandler): BatchHandler {
    return async (batch: InboundBatch): Promise<BatchOutcome | void> => {
      const context = new KafkaBatchContext([batch.topic, batch.partition]);
      const result: unknown = await handler(batch, context);
      if (!isObservable(result)) return result as BatchOutcome | void;
      return (await lastValueFrom(result, { defaultValue: undefined })) as BatchOutcome | void;
    };
  }

  private reportCrash(error: Error): void {
    this._status$.next('crashed');
    for (const listener of this.crashListeners) listener(error);
  }
}
