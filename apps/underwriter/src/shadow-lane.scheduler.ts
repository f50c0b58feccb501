import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decideShadowBacklog, defaultUnderwritingPolicies } from '@lendstream/credit';
import { PacedTurns } from './paced-turns';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_OPTIONS } from './underwriter-tokens';

/** After a failed turn (Postgres away), the lane tries again this much later, not at once. */
const RETRY_DELAY_MS = 5_000;

/** An entry that waited this many linger windows means the lane cannot keep up. */
const LAGGING_LINGERS = 4;

/**
 * Runs the shadow lane (decideShadowBacklog): a turn of at most `shadowLaneMerchants` merchants
 * whose live decisions have lingered `shadowLaneLingerMs`, every `shadowLaneIntervalMs`, full or
 * not. Paced, never back to back: merchants that start lingering together (a burst of trading)
 * are spread over several intervals instead of decided in one burst that the live batches queue
 * behind. So the lane decides at most merchants ÷ interval (100 a second by default); one that
 * falls far behind its linger window says so in the log. One turn at a time (PacedTurns); a
 * failed turn is logged and retried (its queue rows were not deleted). Off when the interval is
 * 0 or no challenger runs.
 */
@Injectable()
export class ShadowLaneScheduler extends PacedTurns implements OnApplicationBootstrap {
  private readonly logger = new Logger('ShadowLane');
  private readonly challengers = defaultUnderwritingPolicies().challengers;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UNDERWRITER_OPTIONS) private readonly options: UnderwriterOptions,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.options.shadowLaneIntervalMs === 0 || this.challengers.length === 0) return;
    this.start(this.options.shadowLaneIntervalMs);
  }

  protected async turn(): Promise<number> {
    const take = {
      merchantsMax: this.options.shadowLaneMerchants,
      lingerMs: this.options.shadowLaneLingerMs,
    };
    try {
      const report = await decideShadowBacklog(this.dataSource, this.challengers, take);
      if (report.taken > 0)
        this.logger.debug(
          `Shadow lane: ${report.merchants} merchants, ${report.taken} taken, ${report.decided} decided, ${report.coalesced} coalesced`,
        );
      if (report.oldestWaitMs > LAGGING_LINGERS * Math.max(take.lingerMs, this.options.shadowLaneIntervalMs))
        this.logger.warn(
          `Shadow lane is behind: an entry waited ${report.oldestWaitMs} ms; raise SHADOW_LANE_MERCHANTS ` +
            `(a turn decides at most ${take.merchantsMax} merchants, every ${this.options.shadowLaneIntervalMs} ms)`,
        );
      return this.options.shadowLaneIntervalMs;
    } catch (error) {
      this.logger.error(`Shadow lane turn failed: ${error instanceof Error ? error.message : String(error)}`);
      return RETRY_DELAY_MS;
    }
  }
}
