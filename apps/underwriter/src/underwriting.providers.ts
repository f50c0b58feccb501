import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CoalescingUnderwriter,
  defaultUnderwritingPolicies,
  ProfileReader,
  seedPortfolioBudget,
  sweepSilentLines,
  UnderwritingService,
} from '@lendstream/credit';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_OPTIONS, UNDERWRITER_PROFILES } from './underwriter-tokens';

export const underwritingServiceProvider: Provider = {
  provide: UnderwritingService,
  inject: [DataSource, UNDERWRITER_PROFILES, UNDERWRITER_OPTIONS],
  useFactory: (dataSource: DataSource, profiles: ProfileReader, options: UnderwriterOptions) =>
    new UnderwritingService(dataSource, profiles, defaultUnderwritingPolicies(), {
      deferHolds: options.pendingDecisionLingerMs > 0,
    }),
};

/** What the consumers decide through: the batches of one fetch, every partition's, as one transaction (group commit). */
export const coalescingUnderwriterProvider: Provider = {
  provide: CoalescingUnderwriter,
  inject: [UnderwritingService],
  useFactory: (underwriting: UnderwritingService) => new CoalescingUnderwriter(underwriting),
};

/** Seeds the portfolio budget from configuration before the first signal is consumed (bootstrap runs before listen). */
@Injectable()
export class PortfolioBudgetSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UNDERWRITER_OPTIONS) private readonly options: UnderwriterOptions,
  ) {}

  private seeding: Promise<void> | undefined;

  onApplicationBootstrap(): Promise<void> {
    return this.seeded();
  }

  /** Seeds once; whoever needs the budget seeded (the budget sweep) awaits the same promise. */
  seeded(): Promise<void> {
    this.seeding ??= seedPortfolioBudget(
      this.dataSource.manager,
      this.options.portfolioBudgetCurrency,
      this.options.portfolioBudgetMinor,
    );
    return this.seeding;
  }
}

/**
 * Runs the silence sweep every `silenceSweepIntervalMs` of wall clock (what it decides as of
 * is business time: see sweepSilentLines). One sweep at a time; a failed sweep is logged and
 * the next one tries again. Stopped, and the sweep in flight awaited, before the DataSource
 * and Redis close.
 */
@Injectable()
export class SilenceSweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SilenceSweep');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UNDERWRITER_PROFILES) private readonly profiles: ProfileReader,
    @Inject(UNDERWRITER_OPTIONS) private readonly options: UnderwriterOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.silenceSweepIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, this.options.silenceSweepIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const report = await sweepSilentLines(this.dataSource, this.profiles, defaultUnderwritingPolicies());
      if (report.decided > 0)
        this.logger.log(
          `Silence sweep as of ${report.clock}: ${report.decided} decided, ${report.closed} closed`,
        );
    } catch (error) {
      this.logger.error(`Silence sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
