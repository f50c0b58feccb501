import type { Provider } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@lendstream/messaging';
import {
  HEALTH_TIMEOUT_MS_DEFAULT,
  kafkaReadinessProbe,
  observabilityProviders,
  postgresReadinessProbe,
  READINESS_KAFKA_ADMIN,
  READINESS_PROBES,
  readinessKafkaAdminProvider,
  registerOutboxBacklogGauges,
} from '@lendstream/platform';
import type { LendingOptions } from './lending-config';

/** Nothing to inject: the gauges read the relay's backlog when Prometheus scrapes. */
const OUTBOX_BACKLOG_GAUGES = Symbol('OUTBOX_BACKLOG_GAUGES');

/** Health and metrics of lending: readiness checks Kafka and Postgres (it uses no Redis); the outbox backlog is read at scrape time. */
export function lendingObservabilityProviders(options: LendingOptions, registry: Registry): Provider[] {
  return [
    ...observabilityProviders({
      registry,
      healthTimeoutMs: options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS_DEFAULT,
      httpPort: options.httpPort,
    }),
    readinessKafkaAdminProvider({
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      timeoutMs: options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS_DEFAULT,
    }),
    {
      provide: READINESS_PROBES,
      inject: [READINESS_KAFKA_ADMIN, DataSource],
      useFactory: (kafkaAdmin: Admin, dataSource: DataSource) => ({
        kafka: kafkaReadinessProbe(kafkaAdmin),
        postgres: postgresReadinessProbe(dataSource),
      }),
    },
    {
      provide: OUTBOX_BACKLOG_GAUGES,
      inject: [OutboxRelay],
      useFactory: (relay: OutboxRelay) =>
        registerOutboxBacklogGauges(
          registry,
          () => relay.outboxBacklog(),
          options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS_DEFAULT,
        ),
    },
  ];
}
