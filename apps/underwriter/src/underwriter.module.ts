import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule, OutboxRelayModule } from '@lendstream/messaging';
import { dataSourceOptions } from '@lendstream/platform';
import { BudgetSweepScheduler } from './budget-sweep.scheduler';
import { LoanEventController } from './loan-event.controller';
import { PendingLaneScheduler } from './pending-lane.scheduler';
import { ProfileSignalController } from './profile-signal.controller';
import { ShadowLaneScheduler } from './shadow-lane.scheduler';
import type { UnderwriterOptions } from './underwriter-config';
import { underwriterObservabilityProviders } from './underwriter-observability';
import {
  profileReaderProvider,
  underwriterRedisProvider,
  UnderwriterRedisShutdown,
} from './underwriter-redis';
import { UNDERWRITER_OPTIONS } from './underwriter-tokens';
import {
  PortfolioBudgetSeeder,
  SilenceSweepScheduler,
  coalescingUnderwriterProvider,
  underwritingServiceProvider,
} from './underwriting.providers';

@Module({})
export class UnderwriterModule {
  static forRoot(options: UnderwriterOptions, registry: Registry): DynamicModule {
    return {
      module: UnderwriterModule,
      imports: [
        // Migrations never run from here and the schema is never synchronised: `npm run stack -- up` migrates.
        TypeOrmModule.forRoot(
          dataSourceOptions({
            databaseUrl: options.databaseUrl,
            applicationName: options.clientId,
            poolSize: options.databasePoolSize,
          }),
        ),
        MessagingModule.forRoot({
          brokers: options.kafkaBrokers,
          clientId: `${options.clientId}-producer`,
          topicNamespace: options.topicNamespace,
        }),
        OutboxRelayModule.forRoot({ relayName: `${options.clientId}-outbox` }),
      ],
      controllers: [ProfileSignalController, LoanEventController],
      providers: [
        { provide: UNDERWRITER_OPTIONS, useValue: options },
        underwriterRedisProvider,
        profileReaderProvider,
        UnderwriterRedisShutdown,
        underwritingServiceProvider,
        coalescingUnderwriterProvider,
        PortfolioBudgetSeeder,
        SilenceSweepScheduler,
        BudgetSweepScheduler,
        ShadowLaneScheduler,
        PendingLaneScheduler,
        ...underwriterObservabilityProviders(options, registry),
      ],
    };
  }
}
