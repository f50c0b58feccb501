import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CloudEvent } from '@lendstream/contracts';
import type { BatchOutcome, InboundBatch } from '@lendstream/messaging';
import { CoalescingUnderwriter } from '@lendstream/credit';
import { BudgetSweepScheduler, mayFreeHeadroom } from './budget-sweep.scheduler';
import { decisionLatencies } from './decision-latency';
import { rejectedTriggers } from './rejected-triggers';
import { DECISION_LATENCY, type DecisionLatency } from './underwriter-observability';

/**
 * Profile signals in; one line, and the decisions' latency observed. Errors propagate: the transport retries the batch; a merchant
 * whose decision would break an invariant has its signals dead-lettered (BROKEN_INVARIANT). A batch that
 * may have freed headroom (a limit lowered, a line frozen or closed) asks for a budget sweep.
 */
@Controller()
export class ProfileSignalController {
  constructor(
    private readonly underwriting: CoalescingUnderwriter,
    private readonly budgetSweep: BudgetSweepScheduler,
    @Inject(DECISION_LATENCY) private readonly decisionLatency: DecisionLatency,
  ) {}

  @EventPattern(Topics.profileChanged)
  async profileChanged(@Payload() batch: InboundBatch<CloudEvent<'profile.changed'>>): Promise<BatchOutcome> {
    const signals = batch.messages.map((message) => message.event);
    const outcomes = await this.underwriting.underwriteSignals(signals);
    for (const sample of decisionLatencies(signals, outcomes, Date.now()))
      this.decisionLatency.observe({ trigger: sample.trigger }, sample.seconds);
    if (mayFreeHeadroom(outcomes)) this.budgetSweep.requestSweep();
    return { rejected: rejectedTriggers(batch.messages, signals, outcomes) };
  }
}
