import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reviewLoans, ReviewReport } from '@lendstream/lending';
import type { LendingOptions } from './lending-config';
import { LENDING_CLOCK, LENDING_OPTIONS, type LendingClock } from './lending-tokens';

/** The one line a review run logs (none when it did nothing). */
export function describeReview(report: ReviewReport): string | null {
  if (report.changed === 0 && report.deferred === 0 && report.complete) return null;
  const interest = [...report.interestPostedMinor]
    .map(([currency, amount]) => `${amount} minor ${currency}`)
    .join(', ');
  return (
    `Review as of ${report.asOf}: ${report.examined} loans examined, ${report.changed} changed, ` +
    `${report.accruedDays} days of interest (${interest || 'nothing'}) posted, ${report.overdueCount} overdue, ` +
    `${report.writtenOffCount} written off` +
    (report.deferred > 0 ? `, ${report.deferred} write-offs deferred (line busy)` : '') +
    (report.complete ? '' : ', more to do')
  );
}

/**
 * Runs the daily review (reviewLoans) at boot, to catch up after downtime, and then every
 * `reviewIntervalMs` of wall clock, as of the wall clock (business time is the wall clock in
 * the app; `npm run lending -- review --as-of` injects another). Interest is posted per ended
 * day, so running it more often than daily only shortens the wait after midnight UTC. One run
 * at a time; a run that stopped at its limit runs again at once; a failed run is logged and the
 * next one tries again. Stopped, and the run in flight awaited, before the DataSource closes.
 */
@Injectable()
export class ReviewScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LoanReview');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LENDING_OPTIONS) private readonly options: LendingOptions,
    @Inject(LENDING_CLOCK) private readonly clock: LendingClock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.reviewIntervalMs === 0) return;
    this.trigger();
    this.timer = setInterval(() => this.trigger(), this.options.reviewIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private trigger(): void {
    if (this.stopped || this.running !== undefined) return;
    this.running = this.run().finally(() => (this.running = undefined));
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const report = await reviewLoans(this.dataSource, this.clock().toISOString(), {
          policy: this.options.policy,
          chunkSize: this.options.reviewChunkSize,
          limit: this.options.reviewLoansMax,
        });
        const line = describeReview(report);
        if (line !== null) this.logger.log(line);
        if (report.complete || this.stopped) return;
      }
    } catch (error) {
      this.logger.error(`Review failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
