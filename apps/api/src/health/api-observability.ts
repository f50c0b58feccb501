import type { Provider } from '@nestjs/common';
import { createMetricsRegistry, METRICS_REGISTRY } from '@lendstream/platform';

/** The `service` of the API's log lines and metrics. */
export const API_SERVICE_NAME = 'api';

/** The API's Prometheus registry: its `/metrics` (MetricsController) and the HTTP latency middleware (start-api.ts) share it. */
export const apiMetricsRegistryProvider: Provider = {
  provide: METRICS_REGISTRY,
  useFactory: () => createMetricsRegistry(API_SERVICE_NAME),
};
