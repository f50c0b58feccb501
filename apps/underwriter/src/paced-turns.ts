import { BeforeApplicationShutdown } from '@nestjs/common';

/**
 * A lane of turns that reschedules itself: one turn at a time, the next one as long after the
 * last one ends as the turn asks (a timeout, never an interval, so a slow turn is never
 * overlapped or followed by a burst). Stopped, and the turn in flight awaited, before the
 * application's DataSource and Redis close. The underwriter's lanes (shadow, pending) are such.
 */
export abstract class PacedTurns implements BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /** One turn; resolves with how long to wait before the next (ms). Catches its own errors. */
  protected abstract turn(): Promise<number>;

  /** Starts the lane: the first turn after `delayMs`. */
  protected start(delayMs: number): void {
    this.schedule(delayMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.turn().then((nextDelayMs) => {
        this.running = undefined;
        this.schedule(nextDelayMs);
      });
    }, delayMs);
    this.timer.unref();
  }
}
