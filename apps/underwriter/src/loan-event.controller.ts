import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@lendstream/contracts';
import type { BatchOutcome, InboundBatch } from '@lendstream/messaging';
import { CoalescingUnderwriter, LoanEvent } from '@lendstream/credit';
import { BudgetSweepScheduler, mayFreeHeadroom } from './budget-sweep.scheduler';
import { decisionLatencies } from './decision-latency';
import { rejectedTriggers } from './rejected-triggers';
import { DECISION_LATENCY, type DecisionLatency } from './underwriter-observability';

/**
 * Lending's loan events in: the merchant's line is decided again at once, so a loan past due
 * freezes the line (OVERDUE_LOAN) within moments rather than at the merchant's next trading
 * event, and a loan repaid lets the line recover. Each event is recorded in the inbox with the
 * decision, like a profile signal.
 */
const LOAN_EVENT_TYPES = new Set<string>([
  'loan.activated',
  'loan.overdue',
  'loan.repaid',
  'loan.written-off',
]);

@Controller()
export class LoanEventController {
  constructor(
    private readonly underwriting: CoalescingUnderwriter,
    private readonly budgetSweep: BudgetSweepScheduler,
    @Inject(DECISION_LATENCY) private readonly decisionLatency: DecisionLatency,
  ) {}

  @EventPattern(Topics.loans)
  async loanChanged(@Payload() batch: InboundBatch<LoanEvent>): Promise<BatchOutcome> {
    const loanEvents = batch.messages
      .map((message) => message.event)
      // Only loan events live on scf.loans.v1; a new type added there later is not a reason to decide.
      .filter((event) => LOAN_EVENT_TYPES.has(event.type));
    const outcomes = await this.underwriting.underwriteSignals(loanEvents);
    for (const sample of decisionLatencies(loanEvents, outcomes, Date.now()))
      this.decisionLatency.observe({ trigger: sample.trigger }, sample.seconds);
    if (mayFreeHeadroom(outcomes)) this.budgetSweep.requestSweep();
    return { rejected: rejectedTriggers(batch.messages, loanEvents, outcomes) };
  }
}
