import { encodeEvent, namespacedTopic } from '@lendstream/contracts';
import { MarketConfig, simulateMarket } from '@lendstream/simulation';
import { CLOUDEVENT_HEADERS, EventSink, MAX_BATCH_SIZE, OutgoingMessage } from './event-sink';
import { Clock, Pacer, systemClock } from './pacer';

export interface PublishOptions {
  /** Events per second; 0 (the default) publishes as fast as the sink takes them. */
  readonly rate?: number;
  /** Messages per `publish` call, 1 to 500 (default 500; smaller when a rate is set). */
  readonly batchSize?: number;
  /** Publish to `<namespace>.<topic>` (tests and benchmarks use fresh topics). */
  readonly topicNamespace?: string;
  /** Stops the run between two batches; the summary then says `aborted`. */
  readonly signal?: AbortSignal;
  /** Called after each batch with the number of events published so far. */
  readonly onProgress?: (published: number) => void;
  readonly clock?: Clock;
}

export interface PublishSummary {
  readonly published: number;
  /** Per physical topic (namespaced when a namespace was given). */
  readonly byTopic: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** True when `signal` stopped the run before the market was exhausted. */
  readonly aborted: boolean;
}

const isBatchSize = (size: number): boolean =>
  Number.isSafeInteger(size) && size >= 1 && size <= MAX_BATCH_SIZE;

const increment = (counts: Record<string, number>, name: string): void => {
  counts[name] = (counts[name] ?? 0) + 1;
};

/**
 * Simulates the market `config` describes and publishes every event to `sink`, in event-time
 * order, in batches keyed by merchant with the CloudEvents content-type header. Counts only
 * what the sink acknowledged. Used by the CLI, the demo and the benchmarks.
 */
export async function publishMarket(
  config: MarketConfig,
  sink: EventSink,
  options: PublishOptions = {},
): Promise<PublishSummary> {
  const clock = options.clock ?? systemClock;
  const startedAtMs = clock.now();
  const requestedBatchSize = options.batchSize ?? MAX_BATCH_SIZE;
  if (!isBatchSize(requestedBatchSize)) {
    throw new RangeError(
      `batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${requestedBatchSize}`,
    );
  }
  const pacer = new Pacer(options.rate ?? 0, clock);
  const batchSize = pacer.batchSize(requestedBatchSize);
  const byTopic: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let published = 0;
  let batch: OutgoingMessage[] = [];
  let types: string[] = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await pacer.waitForTurn(published);
    await sink.publish(batch);
    batch.forEach((message, index) => {
      increment(byTopic, message.topic);
      increment(byType, types[index]);
    });
    published += batch.length;
    batch = [];
    types = [];
    options.onProgress?.(published);
  };

  // The market is finite (merchants × days), so this loop ends; the signal can end it sooner.
  for (const { topic, key, event } of simulateMarket(config)) {
    if (options.signal?.aborted) break;
    batch.push({
      topic: namespacedTopic(topic, options.topicNamespace),
      key,
      value: encodeEvent(event),
      headers: CLOUDEVENT_HEADERS,
    });
    types.push(event.type);
    if (batch.length >= batchSize) await flush();
  }
  const aborted = options.signal?.aborted ?? false;
  if (!aborted) await flush();
  return { published, byTopic, byType, elapsedMs: clock.now() - startedAtMs, aborted };
}
