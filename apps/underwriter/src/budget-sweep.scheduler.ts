import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CreditLineEventType,
  defaultUnderwritingPolicies,
  ProfileReader,
  rebalanceBudget,
  UnderwritingOutcome,
} from '@lendstream/credit';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_OPTIONS, UNDERWRITER_PROFILES } from './underwriter-tokens';
import { PortfolioBudgetSeeder } from './underwriting.providers';

/** A burst of signal batches that free headroom asks for one sweep this long after the first. */
export const BUDGET_SWEEP_NUDGE_DELAY_MS = 1_000;

/** Events after which headroom may have been freed (a lower limit, a freeze, a close). */
const FREEING_EVENTS: ReadonlySet<CreditLineEventType> = new Set([
  'credit-line.adjusted',
  'credit-line.frozen',
  'credit-line.closed',
]);

/** True when a batch's outcomes may have freed headroom for squeezed lines. */
export const mayFreeHeadroom = (outcomes: readonly UnderwritingOutcome[]): boolean =>
  outcomes.some(
    (outcome) => outcome.kind === 'decided' && outcome.event !== null && FREEING_EVENTS.has(outcome.event),
  );

/**
 * Runs the budget rebalance sweep (rebalanceBudget): once at boot, after the budget is seeded
 * from configuration (the budget may have changed while the underwriter was down), every
 * `budgetSweepIntervalMs` of wall clock, and soon after a signal batch that may have freed
 * headroom (`requestSweep`). One sweep at a time; requests during a sweep coalesce into one
 * more; a sweep that used its whole bound runs again at once. A failed sweep is logged and the
 * next one tries again. `budgetSweepIntervalMs` 0 turns all of it off. Stopped, and the sweep
 * in flight awaited, before the DataSource and Redis close.
 */
@Injectable()
export class BudgetSweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BudgetSweep');
  private timer: NodeJS.Timeout | undefined;
  private nudge: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UNDERWRITER_PROFILES) private readonly profiles: ProfileReader,
    @Inject(UNDERWRITER_OPTIONS) private readonly options: UnderwriterOptions,
    @Inject(PortfolioBudgetSeeder) private readonly seeder: PortfolioBudgetSeeder,
  ) {}

  private get enabled(): boolean {
    return this.options.budgetSweepIntervalMs > 0 && !this.stopped;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.trigger();
    this.timer = setInterval(() => this.trigger(), this.options.budgetSweepIntervalMs);
    this.timer.unref();
  }

  /** Asks for a sweep shortly (headroom may have been freed); a no-op when the sweep is off. */
  requestSweep(): void {
    if (!this.enabled || this.nudge !== undefined) return;
    this.nudge = setTimeout(() => {
      this.nudge = undefined;
      this.trigger();
    }, BUDGET_SWEEP_NUDGE_DELAY_MS);
    this.nudge.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.nudge);
    await this.running;
  }

  private trigger(): void {
    if (!this.enabled) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  private async loop(): Promise<void> {
    try {
      await this.seeder.seeded();
      do {
        this.again = false;
        await this.sweep();
      } while (this.again && this.enabled);
    } catch (error) {
      this.logger.error(`Budget sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async sweep(): Promise<void> {
    const linesMax = this.options.budgetSweepLines;
    const report = await rebalanceBudget(this.dataSource, this.profiles, defaultUnderwritingPolicies(), {
      linesMax,
    });
    const candidates = report.currencies.reduce((sum, found) => sum + found.overShare + found.squeezed, 0);
    if (report.decided > 0)
      this.logger.log(
        `Budget sweep: ${report.decided} re-decided, ${report.moved} moved (${report.currencies
          .map((found) => `${found.currency} over share ${found.overShare}, squeezed ${found.squeezed}`)
          .join('; ')})`,
      );
    // The bound was used up: more lines are waiting.
    if (candidates >= linesMax) this.again = true;
  }
}
