/** Time for the pacer: the real clock in the CLI, a fake one in tests. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A rate-limited run sends about this many batches a second, so the flow stays smooth. */
const BATCHES_PER_SECOND = 10;

/**
 * Holds a publisher to `eventsPerSecond` on average over the run: before each batch it waits
 * until the events already sent are due. A rate of 0 means as fast as the sink allows.
 */
export class Pacer {
  private readonly startedAtMs: number;

  constructor(
    private readonly eventsPerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(eventsPerSecond >= 0 && Number.isFinite(eventsPerSecond))) {
      throw new RangeError(`rate must be a finite number of events per second >= 0, got ${eventsPerSecond}`);
    }
    this.startedAtMs = clock.now();
  }

  /** The batch size that keeps a paced run smooth: about a tenth of a second of events. */
  batchSize(maxBatchSize: number): number {
    if (this.eventsPerSecond === 0) return maxBatchSize;
    return Math.max(1, Math.min(maxBatchSize, Math.ceil(this.eventsPerSecond / BATCHES_PER_SECOND)));
  }

  /** Waits until the next event after `sentSoFar` is due. */
  async waitForTurn(sentSoFar: number): Promise<void> {
    if (this.eventsPerSecond === 0) return;
    const dueAtMs = this.startedAtMs + (sentSoFar / this.eventsPerSecond) * 1_000;
    const waitMs = dueAtMs - this.clock.now();
    if (waitMs > 0) await this.clock.sleep(waitMs);
  }
}
