/**
 * Publishes a simulated market one event-time day at a time, keeping the profiler and the
 * underwriter no more than about a day behind (see OneDayBehind).
 * A live market arrives like this; a bulk backlog would not: the profiler signals once per
 * batch of up to hundreds of events, so decisions would jump days, and a stock-out-prone
 * merchant could be cut to 0 by its 30-day count without ever being seen frozen by a spike
 * (the "SKUs out now" trigger reads the latest stock, so the underwriter must keep up too).
 */
import { encodeEvent, namespacedTopic, TopicName, Topics } from '@lendstream/contracts';
import { MarketConfig, simulateMarket } from '@lendstream/simulation';
import { KafkaEventSink } from '../../apps/simulator/src/kafka-event-sink';
import { CLOUDEVENT_HEADERS, MAX_BATCH_SIZE, OutgoingMessage } from '../../apps/simulator/src/event-sink';
import { TopicNamespace, waitForCommitted } from './kafka-namespace';

export const PROFILE_INPUT_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];
const DAY_MS = 86_400_000;

export interface DailyFeedOptions {
  readonly brokers: readonly string[];
  readonly namespace: TopicNamespace;
  readonly profilerGroupId: string;
  readonly underwriterGroupId: string;
  /** Bound on the wait after any one day (a stuck service fails the run instead of hanging it). */
  readonly dayTimeoutMs: number;
  /**
   * The first days, published as one backlog without waiting: no merchant can hold a line
   * before the policy's 30-day tenure, so the pace of those days changes no credit line, and
   * the services then take them in large batches (far fewer signals and decisions).
   */
  readonly backlogDays?: number;
  /**
   * After each day is published (and, past the backlog, taken in by the services): the demo
   * acts on the day there (drawdowns, lending's daily review as of the day's end). Awaited, so
   * the next day starts only once it is done.
   */
  readonly onDay?: (day: number, published: number) => void | Promise<void>;
}

export interface DailyFeedSummary {
  readonly published: number;
  readonly days: number;
  readonly elapsedMs: number;
}

export async function feedMarketByDay(
  market: MarketConfig,
  options: DailyFeedOptions,
): Promise<DailyFeedSummary> {
  const started = Date.now();
  const startMs = Date.parse(String(market.start));
  const sink = await KafkaEventSink.connect({ brokers: options.brokers, clientId: 'lendstream-demo-feed' });
  const lag = new OneDayBehind(options);
  let published = 0;
  let day = 0;
  let pending: OutgoingMessage[] = [];
  const publishDay = async () => {
    for (let from = 0; from < pending.length; from += MAX_BATCH_SIZE)
      await sink.publish(pending.slice(from, from + MAX_BATCH_SIZE));
    published += pending.length;
    pending = [];
    if (day + 1 >= (options.backlogDays ?? 0)) await lag.dayPublished();
    await options.onDay?.(day + 1, published);
  };
  try {
    // The stream is in event-time order (late events aside, which land on the day they arrive).
    for (const { topic, key, event } of simulateMarket(market)) {
      const eventDay = Math.floor((Date.parse(event.time) - startMs) / DAY_MS);
      while (eventDay > day) {
        await publishDay();
        day += 1;
      }
      pending.push({
        topic: namespacedTopic(topic, options.namespace.namespace),
        key,
        value: encodeEvent(event),
        headers: CLOUDEVENT_HEADERS,
      });
    }
    await publishDay();
  } finally {
    await sink.close();
  }
  return { published, days: day + 1, elapsedMs: Date.now() - started };
}

/**
 * Keeps the services at most about a day behind the feed instead of waiting for them after
 * every day: the services commit their offsets once a second, so a strict day-by-day wait
 * costs two commit intervals a day (4 s a day, 4 minutes for 60 days). After day d is
 * published, the profiler must have committed day d-1, and the underwriter every signal that
 * existed once the profiler had committed day d-2. A profiler batch (a few hundred events)
 * still spans an hour or two of one day's trading, so decisions follow the days.
 */
class OneDayBehind {
  private previousInputs = 0;
  private previousSignals = 0;

  constructor(private readonly options: DailyFeedOptions) {}

  async dayPublished(): Promise<void> {
    const { namespace, profilerGroupId, underwriterGroupId, dayTimeoutMs } = this.options;
    const inputs = await namespace.endOffsetTotal(PROFILE_INPUT_TOPICS);
    await waitForCommitted(
      namespace,
      profilerGroupId,
      PROFILE_INPUT_TOPICS,
      this.previousInputs,
      dayTimeoutMs,
    );
    await waitForCommitted(
      namespace,
      underwriterGroupId,
      [Topics.profileChanged],
      this.previousSignals,
      dayTimeoutMs,
    );
    // The profiler publishes its signals before it commits the batch that caused them.
    this.previousSignals = await namespace.endOffsetTotal([Topics.profileChanged]);
    this.previousInputs = inputs;
  }
}

/** Waits for the profiler to reach the inputs' end, then the underwriter the signals' end. */
export async function settle(options: DailyFeedOptions): Promise<void> {
  const { namespace } = options;
  const inputs = await namespace.endOffsetTotal(PROFILE_INPUT_TOPICS);
  await waitForCommitted(
    namespace,
    options.profilerGroupId,
    PROFILE_INPUT_TOPICS,
    inputs,
    options.dayTimeoutMs,
  );
  // The profiler publishes its signals before it commits the batch that caused them.
  const signals = await namespace.endOffsetTotal([Topics.profileChanged]);
  await waitForCommitted(
    namespace,
    options.underwriterGroupId,
    [Topics.profileChanged],
    signals,
    options.dayTimeoutMs,
  );
}
