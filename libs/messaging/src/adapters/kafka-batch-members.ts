import type { ResolvedBatchTransportOptions } from '../batch-transport-options';
import { BatchSubscription, KafkaBatchConsumer } from './kafka-batch-consumer';

/**
 * The group members one process runs (`groupMembers`): that many KafkaBatchConsumers on the same
 * subscriptions, each with its own kafkajs fetch loop and share of the partitions.
 *
 * Why more than one: kafkajs fetches from a broker, hands the batches to its workers, and
 * fetches again only once every batch of that fetch is processed. With one member, a record
 * that lands just after a fetch waits for the slowest partition's batch, then for its own
 * fetch's slowest batch: about two of the slowest batch times. With a member per partition
 * (or per few), each partition waits only for its own previous batch. Free of Nest, so tests
 * and scripts can run it; the Nest transport wraps it.
 */
export class KafkaBatchMembers {
  private readonly members: readonly KafkaBatchConsumer[];

  constructor(options: ResolvedBatchTransportOptions, subscriptions: readonly BatchSubscription[]) {
    const count = options.groupMembers;
    this.members = Array.from(
      { length: count },
      (_, index) =>
        new KafkaBatchConsumer(
          count === 1 ? options : { ...options, clientId: `${options.clientId}-${index + 1}` },
          subscriptions,
        ),
    );
  }

  /** Called when kafkajs gives up on any member. */
  onCrash(listener: (error: Error) => void): void {
    for (const member of this.members) member.onCrash(listener);
  }

  /**
   * Starts every member at once, so that they join the group in one generation rather than with
   * a rebalance each; if any fails to start, stops the others and throws its error.
   */
  async start(): Promise<void> {
    const started = await Promise.allSettled(this.members.map((member) => member.start()));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed === undefined) return;
    await this.stop();
    throw failed.reason;
  }

  /** Drains and stops every member (KafkaBatchConsumer.stop). Safe to call more than once. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop()));
  }

  /** The kafkajs clients of each member, for diagnostics. */
  clients(): ReturnType<KafkaBatchConsumer['clients']>[] {
    return this.members.map((member) => member.clients());
  }
}
