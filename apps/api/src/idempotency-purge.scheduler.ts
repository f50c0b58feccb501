import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { idempotencyPurgeCutoff, purgeIdempotencyKeys } from '@lendstream/platform';
import type { ApiOptions } from './api-config';
import { API_OPTIONS } from './api-tokens';

/**
 * Deletes idempotency keys past their 30 days (IDEMPOTENCY_RETENTION_MS) every
 * `idempotencyPurgeIntervalMs` of wall clock (0 turns it off). Replicas may purge at once
 * (purgeIdempotencyKeys skips rows another one holds). A failed purge is logged and the next
 * one tries again; stopped, and the purge in flight awaited, before the DataSource closes.
 */
@Injectable()
export class IdempotencyPurgeScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('IdempotencyPurge');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.idempotencyPurgeIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.purge().finally(() => (this.running = undefined));
    }, this.options.idempotencyPurgeIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async purge(): Promise<void> {
    try {
      const deleted = await purgeIdempotencyKeys(this.dataSource.manager, idempotencyPurgeCutoff(new Date()));
      if (deleted > 0) this.logger.log(`Purged ${deleted} idempotency keys older than 30 days`);
    } catch (error) {
      this.logger.error(
        `Idempotency purge failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
