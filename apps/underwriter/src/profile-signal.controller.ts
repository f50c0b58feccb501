import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CloudEvent } from '@lendstream/contracts';
import type { BatchOutcome, InboundBatch } from '@lendstream/messaging';
import { UnderwritingService } from '@lendstream/credit';
import { BudgetSweepScheduler, mayFreeHeadroom } from './budget-sweep.scheduler';

/**
 * Profile signals in; one line. Errors propagate: the transport retries the batch. A batch that
 * may have freed headroom (a limit lowered, a line frozen or closed) asks for a budget sweep.
 */
@Controller()
export class ProfileSignalController {
  constructor(
    private readonly underwriting: UnderwritingService,
    private readonly budgetSweep: BudgetSweepScheduler,
  ) {}

  @EventPattern(Topics.profileChanged)
  async profileChanged(@Payload() batch: InboundBatch<CloudEvent<'profile.changed'>>): Promise<BatchOutcome> {
    const outcomes = await this.underwriting.underwriteSignals(
      batch.messages.map((message) => message.event),
    );
    if (mayFreeHeadroom(outcomes)) this.budgetSweep.requestSweep();
    return {};
  }
}
