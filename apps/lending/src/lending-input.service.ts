import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { handleLendingInput } from '@lendstream/lending';
import type { BatchOutcome, InboundBatch, RejectedMessage } from '@lendstream/messaging';
import type { LendingOptions } from './lending-config';
import { LENDING_OPTIONS } from './lending-tokens';

/**
 * Applies a batch of one topic-partition's events, in offset order, each exactly once in its
 * own short transaction with its inbox row (handleLendingInput): one merchant's line lock at a
 * time, so two batches (two topics, two replicas) can never wait on each other in a cycle.
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
    for (const message of batch.messages) {
      const outcome = await handleLendingInput(this.dataSource, message.event, this.options.policy);
      if (outcome.kind === 'rejected')
        rejected.push({ offset: message.offset, violation: outcome.violation });
      else if (outcome.kind === 'applied')
        this.logger.debug(`${message.event.type} ${message.event.id}: ${outcome.detail}`);
    }
    return { rejected };
  }
}
