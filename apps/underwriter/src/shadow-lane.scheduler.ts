import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decideShadowBacklog, defaultUnderwritingPolicies } from '@lendstream/credit';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_OPTIONS } from './underwriter-tokens';

/** After a failed turn (Postgres away), the lane tries again this much later, not at once. */
const RETRY_DELAY_MS = 5_000;

/**
 * Runs the shadow lane (decideShadowBacklog): a turn of at most `shadowLaneMerchants` merchants
 * whose live decisions have lingered `shadowLaneLingerMs`, then the next at once while turns come
 * back full, else after `shadowLaneIntervalMs`. One turn at a time; a failed turn is logged and
 * retried (its queue rows were not deleted). Off when the interval is 0 or no challenger runs.
 * Stopped, and the turn in flight awaited, before the DataSource closes.
 */
@Injectable()
export class ShadowLaneScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ShadowLane');
  private readonly challengers = defaultUnderwritingPolicies().challengers;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UNDERWRITER_OPTIONS) private readonly options: UnderwriterOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.shadowLaneIntervalMs === 0 || this.challengers.length === 0) return;
    this.schedule(this.options.shadowLaneIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => (this.running = undefined));
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    const take = {
      merchantsMax: this.options.shadowLaneMerchants,
      lingerMs: this.options.shadowLaneLingerMs,
    };
    try {
      for (;;) {
        const report = await decideShadowBacklog(this.dataSource, this.challengers, take);
        if (report.taken > 0)
          this.logger.debug(
            `Shadow lane: ${report.merchants} merchants, ${report.taken} taken, ${report.decided} decided, ${report.coalesced} coalesced`,
          );
        if (report.merchants < take.merchantsMax || this.stopped) break;
      }
      this.schedule(this.options.shadowLaneIntervalMs);
    } catch (error) {
      this.logger.error(`Shadow lane batch failed: ${error instanceof Error ? error.message : String(error)}`);
      this.schedule(RETRY_DELAY_MS);
    }
  }
}
