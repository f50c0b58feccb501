import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, dataSourceOptions } from '@lendstream/platform';
import type { ApiOptions } from './api-config';
import { API_OPTIONS } from './api-tokens';
import {
  apiKafkaAdminProvider,
  apiRedisProvider,
  DependencyClientsShutdown,
} from './health/dependency-clients';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { IdempotencyPurgeScheduler } from './idempotency-purge.scheduler';
import { MerchantCreditController } from './merchants/merchant-credit.controller';

/**
 * The ops REST API: every route behind the bearer-JWT guard (AuthModule) unless @Public(),
 * Postgres through TypeORM (raw SQL), Redis and a Kafka admin for readiness.
 */
@Module({})
export class ApiModule {
  static forRoot(options: ApiOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        // Migrations never run from here and the schema is never synchronised: `npm run stack -- up` migrates.
        TypeOrmModule.forRoot(
          dataSourceOptions({
            databaseUrl: options.databaseUrl,
            applicationName: options.clientId,
            poolSize: options.databasePoolSize,
          }),
        ),
        AuthModule.forRoot(options.auth),
      ],
      controllers: [HealthController, MerchantCreditController],
      providers: [
        { provide: API_OPTIONS, useValue: options },
        apiRedisProvider,
        apiKafkaAdminProvider,
        DependencyClientsShutdown,
        ReadinessService,
        IdempotencyPurgeScheduler,
      ],
    };
  }
}
