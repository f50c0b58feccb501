import type { Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  decisionLatencyHistogram,
  HEALTH_TIMEOUT_MS_DEFAULT,
  kafkaReadinessProbe,
  outboxBacklogGaugesProvider,
  postgresReadinessProbe,
  READINESS_KAFKA_ADMIN,
  READINESS_PROBES,
  redisReadinessProbe,
  registerPendingDecisionGauges,
  workerObservabilityProviders,
  type DecisionLatency,
} from '@lendstream/platform';
import { pendingDecisionBacklog } from '@lendstream/credit';
import type { UnderwriterOptions } from './underwriter-config';
import { UNDERWRITER_REDIS } from './underwriter-tokens';

/** The decision latency histogram, injected into the controllers that commit decisions. */
export const DECISION_LATENCY = Symbol('DECISION_LATENCY');
export type { DecisionLatency };

/** The pending-decision gauges, registered once the DataSource exists. */
const PENDING_DECISION_GAUGES = Symbol('PENDING_DECISION_GAUGES');

/**
 * Health and metrics of the underwriter: readiness checks Kafka, Postgres and Redis (it uses all
 * three); the outbox backlog and the pending decisions are read at scrape time; decisions'
 * latency is observed by the controllers.
 */
export function underwriterObservabilityProviders(
  options: UnderwriterOptions,
  registry: Registry,
): Provider[] {
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
      inject: [READINESS_KAFKA_ADMIN, DataSource, UNDERWRITER_REDIS],
      useFactory: (kafkaAdmin: Admin, dataSource: DataSource, redis: Redis) => ({
        kafka: kafkaReadinessProbe(kafkaAdmin),
        postgres: postgresReadinessProbe(dataSource),
        redis: redisReadinessProbe(redis),
      }),
    },
    outboxBacklogGaugesProvider(registry, healthTimeoutMs),
    {
      provide: PENDING_DECISION_GAUGES,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) =>
        registerPendingDecisionGauges(
          registry,
          async () => {
            const { merchants, oldestWaitMs } = await pendingDecisionBacklog(dataSource.manager);
            return { pendingCount: merchants, oldestPendingAgeMs: oldestWaitMs };
          },
          healthTimeoutMs,
        ),
    },
    { provide: DECISION_LATENCY, useFactory: () => decisionLatencyHistogram(registry) },
  ];
}
