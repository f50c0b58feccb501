import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnderwritingService } from '@lendstream/credit';
import { BudgetSweepScheduler, mayFreeHeadroom } from './budget-sweep.scheduler';
import { PacedTurns } from './paced-turns';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_OPTIONS } from './underwriter-tokens';

/** Between two turns that found less than a full turn's work: how late past its linger window a decision can be. */
export const PENDING_LANE_INTERVAL_MS = 100;

/** A claimed merchant is not claimed again for this long: a turn takes well under a second; a crashed one's merchants come back after it. */
export const PENDING_LANE_LEASE_MS = 30_000;

/** After a failed turn (Postgres or Redis away), the lane tries again this much later. */
const RETRY_DELAY_MS = 1_000;

/** A merchant that waited this many linger windows means the lane cannot keep up. */
const LAGGING_LINGERS = 4;

/**
 * Runs the pending lane (UnderwritingService.decidePending): the decisions of merchants whose
 * signals the live policy forecast to hold, made once they have waited
 * `pendingDecisionLingerMs`, at most `pendingDecisionMerchants` a turn. A full turn is followed
 * by the next at once (the lane catches up), any other after PENDING_LANE_INTERVAL_MS. Always
 * on: with a linger of 0 no signal is deferred, and the lane only drains what an earlier
 * configuration left. A turn whose decisions may free budget headroom asks for a budget sweep;
 * a merchant whose decision would break an invariant is logged and its pending row dropped (it
 * is decided again on its next signal). One turn at a time (PacedTurns); a failed turn is logged
 * and retried (its rows stay).
 */
@Injectable()
export class PendingLaneScheduler extends PacedTurns implements OnApplicationBootstrap {
  private readonly logger = new Logger('PendingLane');

  constructor(
    private readonly underwriting: UnderwritingService,
    private readonly budgetSweep: BudgetSweepScheduler,
    @Inject(UNDERWRITER_OPTIONS) private readonly options: UnderwriterOptions,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.start(PENDING_LANE_INTERVAL_MS);
  }

  protected async turn(): Promise<number> {
    const take = {
      merchantsMax: this.options.pendingDecisionMerchants,
      lingerMs: this.options.pendingDecisionLingerMs,
      leaseMs: PENDING_LANE_LEASE_MS,
    };
    try {
      const report = await this.underwriting.decidePending(take);
      if (mayFreeHeadroom(report.outcomes)) this.budgetSweep.requestSweep();
      for (const { merchantId, message } of report.rejected)
        this.logger.error(`Pending decision of ${merchantId} dropped: ${message}`);
      if (report.claimed > 0)
        this.logger.debug(
          `Pending lane: ${report.claimed} claimed, ${report.decided} decided, ${report.moved} moved a line`,
        );
      if (report.oldestWaitMs > LAGGING_LINGERS * Math.max(take.lingerMs, PENDING_LANE_INTERVAL_MS))
        this.logger.warn(
          `Pending lane is behind: a merchant waited ${report.oldestWaitMs} ms for its decision; raise ` +
            `PENDING_DECISION_MERCHANTS (a turn decides at most ${take.merchantsMax})`,
        );
      return report.claimed >= take.merchantsMax ? 0 : PENDING_LANE_INTERVAL_MS;
    } catch (error) {
      this.logger.error(
        `Pending lane turn failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return RETRY_DELAY_MS;
    }
  }
}
