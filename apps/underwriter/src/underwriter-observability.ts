import type { Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@lendstream/messaging';
import {
  decisionLatencyHistogram,
  HEALTH_TIMEOUT_MS_DEFAULT,
  kafkaReadinessProbe,
  observabilityProviders,
  postgresReadinessProbe,
  READINESS_KAFKA_ADMIN,
  READINESS_PROBES,
  readinessKafkaAdminProvider,
  redisReadinessProbe,
  registerOutboxBacklogGauges,
  type DecisionLatency,
} from '@lendstream/platform';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_REDIS } from './underwriter-tokens';

/** Nothing to inject: the gauges read the relay's backlog when Prometheus scrapes. */
const OUTBOX_BACKLOG_GAUGES = Symbol('OUTBOX_BACKLOG_GAUGES');

/** The decision latency histogram, injected into the controllers that commit decisions. */
export const DECISION_LATENCY = Symbol('DECISION_LATENCY');
export type { DecisionLatency };

/**
 * Health and metrics of the underwriter: readiness checks Kafka, Postgres and Redis (it uses all
 * three); the outbox backlog is read at scrape time; decisions' latency is observed by the
 * controllers.
 */
export function underwriterObservabilityProviders(
  options: UnderwriterOptions,
  registry: Registry,
): Provider[] {
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
      inject: [READINESS_KAFKA_ADMIN, DataSource, UNDERWRITER_REDIS],
      useFactory: (kafkaAdmin: Admin, dataSource: DataSource, redis: Redis) => ({
        kafka: kafkaReadinessProbe(kafkaAdmin),
        postgres: postgresReadinessProbe(dataSource),
        redis: redisReadinessProbe(redis),
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
    { provide: DECISION_LATENCY, useFactory: () => decisionLatencyHistogram(registry) },
  ];
}
