/**
 * A fixed offered load: `rate` records a second for `durationMs`, sent in small batches on a
 * 10 ms tick through a caller-supplied send. Open-loop: how many are due is computed from the
 * elapsed time, so a slow send is followed by a larger batch, never by a lower rate. The
 * send's resolution is the moment the records were appended (acks from all replicas), which
 * both latency measurements start their clock from.
 */
export interface OfferedLoad<T> {
  readonly rate: number;
  readonly durationMs: number;
  /** The next record to offer, or undefined when there is nothing left. */
  next(): T | undefined;
  /** Sends a batch; resolves once the broker acknowledged it. */
  send(batch: readonly T[]): Promise<void>;
  /** Told each record's acknowledgement time. */
  acknowledged(record: T, ackedAtMs: number): void;
}

const TICK_MS = 10;

export async function offerLoad<T>(load: OfferedLoad<T>): Promise<{ offered: number; elapsedMs: number }> {
  const started = Date.now();
  let offered = 0;
  for (;;) {
    const elapsed = Date.now() - started;
    if (elapsed >= load.durationMs) break;
    const due = Math.floor((elapsed * load.rate) / 1000) - offered;
    const batch: T[] = [];
    for (let index = 0; index < due; index += 1) {
      const record = load.next();
      if (record === undefined) break;
      batch.push(record);
    }
    if (batch.length > 0) {
      await load.send(batch);
      const ackedAt = Date.now();
      for (const record of batch) load.acknowledged(record, ackedAt);
      offered += batch.length;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return { offered, elapsedMs: Date.now() - started };
}

/** Nearest-rank percentile of latencies in ms (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
