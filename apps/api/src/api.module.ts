import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, dataSourceOptions } from '@lendstream/platform';
import type { ApiOptions } from './api-config';
import { API_OPTIONS } from './api-tokens';
import { AuditController } from './audit/audit.controller';
import { ManualLineCommands } from './credit-line/manual-line-commands';
import { ManualLineController } from './credit-line/manual-line.controller';
import { DeadLetterIndexerService } from './dead-letters/dead-letter-indexer.service';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { CreditLineFeed } from './dashboard/credit-line-feed.service';
import { CreditLineStreamController } from './dashboard/credit-line-stream.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { DocsController } from './docs/docs.controller';
import { OpenApiDocumentService } from './docs/openapi-document.service';
import {
  apiKafkaAdminProvider,
  apiRedisProvider,
  DependencyClientsShutdown,
} from './health/dependency-clients';
import { apiMetricsRegistryProvider } from './health/api-observability';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { ReadinessService } from './health/readiness.service';
import { IdempotencyPurgeScheduler } from './idempotency-purge.scheduler';
import { LendingRoutesModule } from './lending/lending-routes.module';
import { MerchantCreditController } from './merchants/merchant-credit.controller';
import { PortfolioBudgetController } from './portfolio/portfolio-budget.controller';
import { MerchantProfileController } from './profile/merchant-profile.controller';
import { apiProfileStoreProvider } from './profile/profile-store.provider';

/**
 * The ops REST API: every route behind the bearer-JWT guard (AuthModule) unless @Public(),
 * Postgres through TypeORM (raw SQL), Redis (profiles, rate limits, readiness) and a Kafka
 * admin for readiness; its OpenAPI document is generated from these controllers at boot.
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
        DiscoveryModule,
        LendingRoutesModule,
      ],
      controllers: [
        HealthController,
        MetricsController,
        MerchantCreditController,
        MerchantProfileController,
        ManualLineController,
        PortfolioBudgetController,
        AuditController,
        DeadLettersController,
        CreditLineStreamController,
        DashboardController,
        DocsController,
      ],
      providers: [
        { provide: API_OPTIONS, useValue: options },
        apiRedisProvider,
        apiKafkaAdminProvider,
        DependencyClientsShutdown,
        ReadinessService,
        apiMetricsRegistryProvider,
        IdempotencyPurgeScheduler,
        apiProfileStoreProvider,
        ManualLineCommands,
        OpenApiDocumentService,
        DeadLetterIndexerService,
        CreditLineFeed,
      ],
    };
  }
}
