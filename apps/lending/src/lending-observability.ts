import type { Provider } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  HEALTH_TIMEOUT_MS_DEFAULT,
  kafkaReadinessProbe,
  outboxBacklogGaugesProvider,
  postgresReadinessProbe,
  READINESS_KAFKA_ADMIN,
  READINESS_PROBES,
  workerObservabilityProviders,
} from '@lendstream/platform';
import type { LendingOptions } from './lending-config';

/** Health and metrics of lending: readiness checks Kafka and Postgres (it uses no Redis); the outbox backlog is read at scrape time. */
export function lendingObservabilityProviders(options: LendingOptions, registry: Registry): Provider[] {
  const healthTimeoutMs = options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS_DEFAULT;
  return [
    ...workerObservabilityProviders({
      registry,
      healthTimeoutMs,
      httpPort: options.httpPort,
      kafkaBrokers: options.kafkaBrokers,
      clientId: options.clientId,
    }),
    {
      provide: READINESS_PROBES,
      inject: [READINESS_KAFKA_ADMIN, DataSource],
      useFactory: (kafkaAdmin: Admin, dataSource: DataSource) => ({
        kafka: kafkaReadinessProbe(kafkaAdmin),
        postgres: postgresReadinessProbe(dataSource),
      }),
    },
    outboxBacklogGaugesProvider(registry, healthTimeoutMs),
  ];
}
