import type { Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { Registry } from 'prom-client';
import {
  HEALTH_TIMEOUT_MS_DEFAULT,
  kafkaReadinessProbe,
  READINESS_KAFKA_ADMIN,
  READINESS_PROBES,
  redisReadinessProbe,
  workerObservabilityProviders,
} from '@lendstream/platform';
import type { ProfilerOptions } from './profiler-config';
import { PROFILE_REDIS } from './profiler-tokens';

/** Health and metrics of the profiler: it uses Kafka and Redis, so readiness checks exactly those. */
export function profilerObservabilityProviders(options: ProfilerOptions, registry: Registry): Provider[] {
  return [
    ...workerObservabilityProviders({
      registry,
      healthTimeoutMs: options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS_DEFAULT,
      httpPort: options.httpPort,
      kafkaBrokers: options.kafkaBrokers,
      clientId: options.clientId,
    }),
    {
      provide: READINESS_PROBES,
      inject: [READINESS_KAFKA_ADMIN, PROFILE_REDIS],
      useFactory: (kafkaAdmin: Admin, redis: Redis) => ({
        kafka: kafkaReadinessProbe(kafkaAdmin),
        redis: redisReadinessProbe(redis),
      }),
    },
  ];
}
