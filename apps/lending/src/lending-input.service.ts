import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applySettlementsWithNothingDue, handleLendingInput } from '@lendstream/lending';
import type { BatchOutcome, InboundBatch, RejectedMessage } from '@lendstream/messaging';
import type { LendingOptions } from './lending-config';
import { LENDING_OPTIONS } from './lending-tokens';

/**
 * Applies a batch of one topic-partition's events, in offset order, each exactly once with its
 * inbox row: first, in one transaction, the settlements of merchants who owe nothing (most of
 * the platform's settlements: applySettlementsWithNothingDue, which locks those merchants'
 * lines in merchant-id order, as every multi-line locker does); then every other event in its
 * own short transaction (handleLendingInput). Ordering holds: a settlement taken in bulk
 * changed nothing but its own row, so no later event of the batch could have seen it differ.
 * Business-rule refusals come back as rejected offsets, which the transport dead-letters with
 * their stable dlq-reason; anything thrown (the database is down) makes the transport retry the
 * batch, whose events already applied are then duplicates.
 */
@Injectable()
export class LendingInputService {
  private readonly logger = new Logger('LendingInput');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LENDING_OPTIONS) private readonly options: LendingOptions,
  ) {}

  async apply(batch: InboundBatch): Promise<BatchOutcome> {
    const rejected: RejectedMessage[] = [];
    const inBulk = await applySettlementsWithNothingDue(
      this.dataSource,
      batch.messages.map((message) => message.event),
    );
    for (const message of batch.messages) {
      if (inBulk.has(message.event)) continue;
      const outcome = await handleLendingInput(this.dataSource, message.event, this.options.policy);
      if (outcome.kind === 'rejected')
        rejected.push({ offset: message.offset, violation: outcome.violation });
      else if (outcome.kind === 'applied')
        // An object message: the JSON logger writes the event's id and position as fields of the line.
        this.logger.debug({
          message: `${message.event.type} ${message.event.id}: ${outcome.detail}`,
          eventId: message.event.id,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
        });
    }
    return { rejected };
  }
}
