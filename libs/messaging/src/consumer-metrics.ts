/**
 * What the batch transport reports to metrics, as a small port: the plumbing stays free of any
 * metrics library, and an app that wants Prometheus hands in `PrometheusConsumerMetrics`
 * (adapters/) through the transport's `metrics` option. Every call happens after the fact it
 * counts is durable (a chunk handled, dead letters acknowledged), so a retried chunk is counted
 * once. Topics are the contract's names (never namespaced), so dashboards hold across
 * deployments.
 */
export interface ConsumerMetrics {
  /** Valid events a handler accepted in one chunk, by event type. */
  recordConsumed(topic: string, countByType: ReadonlyMap<string, number>): void;
  /** Records of one chunk that went to the dead-letter topic, by reason code. */
  recordDeadLettered(topic: string, countByReason: ReadonlyMap<string, number>): void;
  /** Records of a partition still behind the consumer group's position after a chunk. */
  recordLag(
    position: { readonly groupId: string; readonly topic: string; readonly partition: number },
    lag: number,
  ): void;
  /**
   * Drops the group's lag series: called when the member (re)joins its group, so a partition
   * that moved to another member stops showing this member's last, stale lag.
   */
  forgetLag(groupId: string): void;
}

export const noConsumerMetrics: ConsumerMetrics = {
  recordConsumed: () => undefined,
  recordDeadLettered: () => undefined,
  recordLag: () => undefined,
  forgetLag: () => undefined,
};

/**
 * Records behind after `lastProcessedOffset`: the partition's high watermark (the offset the
 * next produced record will get) minus the next offset to consume. Offsets are int64 decimal
 * strings; the lag itself fits a number. Undefined when the watermark is unknown or malformed.
 */
export function offsetLag(
  highWatermark: string | undefined,
  lastProcessedOffset: string,
): number | undefined {
  if (!/^\d+$/.test(lastProcessedOffset)) return undefined;
  return lagBefore(highWatermark, (BigInt(lastProcessedOffset) + 1n).toString());
}

/** Records behind when `nextOffset` is the next to process (a batch's first record, before it is handled). */
export function lagBefore(highWatermark: string | undefined, nextOffset: string): number | undefined {
  if (highWatermark === undefined || !/^-?\d+$/.test(highWatermark) || !/^\d+$/.test(nextOffset))
    return undefined;
  const lag = BigInt(highWatermark) - BigInt(nextOffset);
  return lag <= 0n ? 0 : Number(lag);
}

/** How many of each key: `countBy(['a', 'b', 'a'], (x) => x)` is `a → 2, b → 1`. */
export function countBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
