import { Injectable } from '@nestjs/common';
import {
  KafkaEventProducer,
  type BatchOutcome,
  type InboundBatch,
  type RejectedMessage,
} from '@lendstream/messaging';
import { profileChangedSignals, RedisProfileStore } from '@lendstream/profile';

/**
 * Applies a batch of input events to the profiles, then tells the underwriter which
 * merchants moved. Order matters: the signals are published (durably) before the batch is
 * reported done, so a crash in between redelivers the batch, whose events are then
 * duplicates, and the signals go out again with the same ids. Redis and Kafka errors are
 * thrown: the transport retries the batch, and never dead-letters it for an outage.
 */
@Injectable()
export class ProfileIngestService {
  constructor(
    private readonly store: RedisProfileStore,
    private readonly producer: KafkaEventProducer,
  ) {}

  async ingest(batch: InboundBatch): Promise<BatchOutcome> {
    const outcomes = await this.store.applyBatch(batch);
    const signals = profileChangedSignals(batch.topic, batch.partition, outcomes);
    await this.producer.publishEvents(signals);
    const rejected: RejectedMessage[] = [];
    for (const outcome of outcomes) {
      if (outcome.violation !== undefined)
        rejected.push({ offset: outcome.offset, violation: outcome.violation });
    }
    return { rejected };
  }
}
