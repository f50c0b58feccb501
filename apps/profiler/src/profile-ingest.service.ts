import { Injectable } from '@nestjs/common';
import type { CloudEvent } from '@lendstream/contracts';
import {
  GroupCommit,
  KafkaEventProducer,
  type BatchOutcome,
  type InboundBatch,
  type RejectedMessage,
} from '@lendstream/messaging';
import { profileChangedSignals, RedisProfileStore } from '@lendstream/profile';

/** Most signals published together (produceInOrder splits them into requests the broker takes). */
const SIGNALS_PER_PUBLISH_MAX = 50_000;

/**
 * Applies a batch of input events to the profiles, then tells the underwriter which
 * merchants moved. Order matters: the signals are published (durably) before the batch is
 * reported done, so a crash in between redelivers the batch, whose events are then
 * duplicates, and the signals go out again with the same ids. Redis and Kafka errors are
 * thrown: the transport retries the batch, and never dead-letters it for an outage.
 *
 * The signals of the batches handled side by side (every partition of a fetch) go out in one
 * publish (GroupCommit): the idempotent producer has one request in flight, so published
 * batch by batch they queued behind each other, the last batch's signals a few produce round
 * trips late.
 */
@Injectable()
export class ProfileIngestService {
  private readonly signalPublishes: GroupCommit<readonly CloudEvent[], void>;

  constructor(
    private readonly store: RedisProfileStore,
    producer: KafkaEventProducer,
  ) {
    this.signalPublishes = new GroupCommit<readonly CloudEvent[], void>(
      async (calls) => {
        await producer.publishEvents(calls.flat());
        return calls.map(() => undefined);
      },
      { weightOf: (signals) => signals.length, maxWeight: SIGNALS_PER_PUBLISH_MAX },
    );
  }

  async ingest(batch: InboundBatch): Promise<BatchOutcome> {
    const outcomes = await this.store.applyBatch(batch);
    const signals = profileChangedSignals(batch.topic, batch.partition, outcomes);
    if (signals.length > 0) await this.signalPublishes.submit(signals);
    const rejected: RejectedMessage[] = [];
    for (const outcome of outcomes) {
      if (outcome.violation !== undefined)
        rejected.push({ offset: outcome.offset, violation: outcome.violation });
    }
    return { rejected };
  }
}
