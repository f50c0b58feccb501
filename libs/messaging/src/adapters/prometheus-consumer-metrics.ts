import { Counter, Gauge, Registry } from 'prom-client';
import type { ConsumerMetrics } from '../consumer-metrics';

/**
 * The batch transport's metrics in Prometheus, registered on the app's registry (the one its
 * `/metrics` serves). Names and labels are documented in docs/operations.md; they are created
 * once per registry, so a second consumer in the same app shares them.
 */
export const CONSUMER_METRIC_NAMES = {
  eventsConsumed: 'lendstream_events_consumed_total',
  deadLetters: 'lendstream_dead_letters_total',
  consumerLag: 'lendstream_consumer_lag',
} as const;

export class PrometheusConsumerMetrics implements ConsumerMetrics {
  private readonly eventsConsumed: Counter<'topic' | 'type'>;
  private readonly deadLetters: Counter<'topic' | 'reason'>;
  private readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  /** The lag series this app set, by group, so that forgetLag removes exactly those. */
  private readonly lagSeries = new Map<string, Map<string, { topic: string; partition: string }>>();

  constructor(registry: Registry) {
    this.eventsConsumed = existingOr(
      registry,
      CONSUMER_METRIC_NAMES.eventsConsumed,
      () =>
        new Counter({
          name: CONSUMER_METRIC_NAMES.eventsConsumed,
          help: 'Valid events handled (their effects durable), by contract topic and event type',
          labelNames: ['topic', 'type'] as const,
          registers: [registry],
        }),
    );
    this.deadLetters = existingOr(
      registry,
      CONSUMER_METRIC_NAMES.deadLetters,
      () =>
        new Counter({
          name: CONSUMER_METRIC_NAMES.deadLetters,
          help: 'Records written to scf.dlq.v1, by contract topic they came from and dlq-reason',
          labelNames: ['topic', 'reason'] as const,
          registers: [registry],
        }),
    );
    this.consumerLag = existingOr(
      registry,
      CONSUMER_METRIC_NAMES.consumerLag,
      () =>
        new Gauge({
          name: CONSUMER_METRIC_NAMES.consumerLag,
          help: "Records behind the partition's high watermark after the last chunk processed, by consumer group, contract topic and partition",
          labelNames: ['group', 'topic', 'partition'] as const,
          registers: [registry],
        }),
    );
  }

  recordConsumed(topic: string, countByType: ReadonlyMap<string, number>): void {
    for (const [type, count] of countByType) this.eventsConsumed.inc({ topic, type }, count);
  }

  recordDeadLettered(topic: string, countByReason: ReadonlyMap<string, number>): void {
    for (const [reason, count] of countByReason) this.deadLetters.inc({ topic, reason }, count);
  }

  recordLag(
    position: { readonly groupId: string; readonly topic: string; readonly partition: number },
    lag: number,
  ): void {
    const labels = { group: position.groupId, topic: position.topic, partition: String(position.partition) };
    this.consumerLag.set(labels, lag);
    const series =
      this.lagSeries.get(position.groupId) ?? new Map<string, { topic: string; partition: string }>();
    series.set(`${labels.topic}\n${labels.partition}`, { topic: labels.topic, partition: labels.partition });
    this.lagSeries.set(position.groupId, series);
  }

  forgetLag(groupId: string): void {
    for (const { topic, partition } of this.lagSeries.get(groupId)?.values() ?? [])
      this.consumerLag.remove({ group: groupId, topic, partition });
    this.lagSeries.delete(groupId);
  }
}

function existingOr<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
