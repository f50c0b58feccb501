/**
 * The names, labels and buckets of the metrics the platform defines for every app (the batch
 * transport's own are in libs/messaging, `CONSUMER_METRIC_NAMES`). Prometheus conventions: a
 * `lendstream_` prefix, base units (seconds), `_total` on counters. docs/operations.md lists
 * them all with what each label means.
 */
export const METRIC_NAMES = {
  httpRequestDuration: 'lendstream_http_request_duration_seconds',
  decisionLatency: 'lendstream_decision_latency_seconds',
  outboxPendingRows: 'lendstream_outbox_pending_rows',
  outboxOldestPendingAge: 'lendstream_outbox_oldest_pending_age_seconds',
  pendingDecisions: 'lendstream_pending_decisions',
  pendingDecisionOldestAge: 'lendstream_pending_decision_oldest_age_seconds',
} as const;

/** Each readiness probe of a worker fails after this long (the API's is API_HEALTH_TIMEOUT_MS). */
export const HEALTH_TIMEOUT_MS_DEFAULT = 2_000;

/** HTTP latencies: a read is a few ms, a drawdown tens to hundreds, a p99 past a second is an incident. */
export const HTTP_DURATION_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * Event time to decision committed: the target is seconds, the benchmark's p99 is ~11 s today,
 * and a replay of old events lands in +Inf (its event times are days old).
 */
export const DECISION_LATENCY_BUCKETS_SECONDS = [
  0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 900,
] as const;

/** The label an HTTP request gets when no route matched it: one series for every unknown path. */
export const UNMATCHED_ROUTE = 'unmatched';

/** `/v1/merchants/:merchantId/profile`, never the raw path, so a label has a bounded set of values. */
export function routeLabel(baseUrl: string | undefined, routePath: unknown): string {
  if (typeof routePath !== 'string') return UNMATCHED_ROUTE;
  const joined = `${baseUrl ?? ''}${routePath}`;
  return joined === '' ? '/' : joined;
}
