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

/** What a backlog's gauges read: how many wait, and how long the oldest has (libs/messaging's OutboxBacklog has this shape). */
export interface BacklogReading {
  readonly pendingCount: number;
  readonly oldestPendingAgeMs: number;
}

/** What the outbox gauges read. */
export type OutboxBacklogReading = BacklogReading;

/** A scrape shares one backlog query between the two gauges rather than running it twice. */
const BACKLOG_READING_REUSE_MS = 1_000;

/**
 * A backlog as two gauges read at scrape time: how many wait, and the age of the oldest. A query
 * that fails or takes longer than `timeoutMs` leaves the last values (the scrape itself must not
 * fail or hang on Postgres; readiness reports Postgres down).
 */
function registerBacklogGauges(
  registry: Registry,
  gauges: { readonly count: GaugeName; readonly oldestAge: GaugeName },
  readBacklog: () => Promise<BacklogReading>,
  timeoutMs: number,
): void {
  let last: { at: number; reading: Promise<BacklogReading | undefined> } | undefined;
  const read = (): Promise<BacklogReading | undefined> => {
    const now = Date.now();
    if (last === undefined || now - last.at > BACKLOG_READING_REUSE_MS)
      last = { at: now, reading: withTimeout(readBacklog(), timeoutMs).catch(() => undefined) };
    return last.reading;
  };
  new Gauge({
    ...gauges.count,
    registers: [registry],
    async collect() {
      const reading = await read();
      if (reading !== undefined) this.set(reading.pendingCount);
    },
  });
  new Gauge({
    ...gauges.oldestAge,
    registers: [registry],
    async collect() {
      const reading = await read();
      if (reading !== undefined) this.set(reading.oldestPendingAgeMs / 1000);
    },
  });
}

interface GaugeName {
  readonly name: string;
  readonly help: string;
}

/** The outbox's backlog: rows not yet published, and the age of the oldest (registerBacklogGauges). */
export function registerOutboxBacklogGauges(
  registry: Registry,
  readBacklog: () => Promise<OutboxBacklogReading>,
  timeoutMs: number,
): void {
  registerBacklogGauges(
    registry,
    {
      count: { name: METRIC_NAMES.outboxPendingRows, help: 'Outbox rows not yet published to Kafka (counted up to 100,000)' },
      oldestAge: {
        name: METRIC_NAMES.outboxOldestPendingAge,
        help: "Age of the oldest outbox row not yet published, by the database's clock (0 when none waits)",
      },
    },
    readBacklog,
    timeoutMs,
  );
}

/** The underwriter's pending decisions: merchants waiting for the pending lane, and how long the longest has (registerBacklogGauges). */
export function registerPendingDecisionGauges(
  registry: Registry,
  readBacklog: () => Promise<BacklogReading>,
  timeoutMs: number,
): void {
  registerBacklogGauges(
    registry,
    {
      count: {
        name: METRIC_NAMES.pendingDecisions,
        help: 'Merchants whose signals were consumed and whose decision waits for the pending lane',
      },
      oldestAge: {
        name: METRIC_NAMES.pendingDecisionOldestAge,
        help: "How long the longest-waiting of them has waited, by the database's clock (0 when none waits)",
      },
    },
    readBacklog,
    timeoutMs,
  );
}

function existingOr<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
