import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import {
  DECISION_LATENCY_BUCKETS_SECONDS,
  HTTP_DURATION_BUCKETS_SECONDS,
  METRIC_NAMES,
} from '../metric-names';
import { withTimeout } from '../readiness';

/**
 * One Prometheus registry per app, the one its `/metrics` serves: every series carries
 * `service="<app>"`, so one dashboard tells the apps apart without relying on scrape labels,
 * plus the Node process's standard metrics (process_*, nodejs_*: CPU, memory, event loop lag).
 */
export function createMetricsRegistry(service: string, { processMetrics = true } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

export type HttpRequestDuration = Histogram<'method' | 'route' | 'status'>;

export function httpRequestDurationHistogram(registry: Registry): HttpRequestDuration {
  return existingOr(
    registry,
    METRIC_NAMES.httpRequestDuration,
    () =>
      new Histogram({
        name: METRIC_NAMES.httpRequestDuration,
        help: 'HTTP requests from arrival to the last byte of the answer, by method, route template and status',
        labelNames: ['method', 'route', 'status'] as const,
        buckets: [...HTTP_DURATION_BUCKETS_SECONDS],
        registers: [registry],
      }),
  );
}

export type DecisionLatency = Histogram<'trigger'>;

export function decisionLatencyHistogram(registry: Registry): DecisionLatency {
  return existingOr(
    registry,
    METRIC_NAMES.decisionLatency,
    () =>
      new Histogram({
        name: METRIC_NAMES.decisionLatency,
        help: "From the triggering event's event time to its credit decision committed, by trigger kind (signal, loan-event)",
        labelNames: ['trigger'] as const,
        buckets: [...DECISION_LATENCY_BUCKETS_SECONDS],
        registers: [registry],
      }),
  );
}

/** What the outbox gauges read (libs/messaging's OutboxBacklog has this shape). */
export interface OutboxBacklogReading {
  readonly pendingCount: number;
  readonly oldestPendingAgeMs: number;
}

/** A scrape shares one backlog query between the two gauges rather than running it twice. */
const BACKLOG_READING_REUSE_MS = 1_000;

/**
 * The outbox's backlog as two gauges read at scrape time: rows not yet published, and the age
 * of the oldest. A query that fails or takes longer than `timeoutMs` leaves the last values
 * (the scrape itself must not fail or hang on Postgres; readiness reports Postgres down).
 */
export function registerOutboxBacklogGauges(
  registry: Registry,
  readBacklog: () => Promise<OutboxBacklogReading>,
  timeoutMs: number,
): void {
  let last: { at: number; reading: Promise<OutboxBacklogReading | undefined> } | undefined;
  const read = (): Promise<OutboxBacklogReading | undefined> => {
    const now = Date.now();
    if (last === undefined || now - last.at > BACKLOG_READING_REUSE_MS)
      last = { at: now, reading: withTimeout(readBacklog(), timeoutMs).catch(() => undefined) };
    return last.reading;
  };
  new Gauge({
    name: METRIC_NAMES.outboxPendingRows,
    help: 'Outbox rows not yet published to Kafka (counted up to 100,000)',
    registers: [registry],
    async collect() {
      const reading = await read();
      if (reading !== undefined) this.set(reading.pendingCount);
    },
  });
  new Gauge({
    name: METRIC_NAMES.outboxOldestPendingAge,
    help: "Age of the oldest outbox row not yet published, by the database's clock (0 when none waits)",
    registers: [registry],
    async collect() {
      const reading = await read();
      if (reading !== undefined) this.set(reading.oldestPendingAgeMs / 1000);
    },
  });
}

function existingOr<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
