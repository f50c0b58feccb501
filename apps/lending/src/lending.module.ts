import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule, OutboxRelayModule } from '@lendstream/messaging';
import { dataSourceOptions } from '@lendstream/platform';
import type { LendingOptions } from './lending-config';
import { LendingInputController } from './lending-input.controller';
import { LendingInputService } from './lending-input.service';
import { lendingObservabilityProviders } from './lending-observability';
import { fileClock, LENDING_CLOCK, LENDING_OPTIONS } from './lending-tokens';
import { ReviewScheduler } from './review.scheduler';

@Module({})
export class LendingModule {
  static forRoot(options: LendingOptions, registry: Registry): DynamicModule {
    return {
      module: LendingModule,
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
        // Publishes disbursement.requested, loan.* and repayment.collected from the outbox.
        OutboxRelayModule.forRoot({ relayName: `${options.clientId}-outbox` }),
      ],
      controllers: [LendingInputController],
      providers: [
        { provide: LENDING_OPTIONS, useValue: options },
        {
          provide: LENDING_CLOCK,
          useValue:
            options.businessClockFile === undefined ? () => new Date() : fileClock(options.businessClockFile),
        },
        LendingInputService,
        ReviewScheduler,
        ...lendingObservabilityProviders(options, registry),
      ],
    };
  }
}
