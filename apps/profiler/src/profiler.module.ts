import { DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { MessagingModule } from '@lendstream/messaging';
import { ProfileInputController } from './profile-input.controller';
import { ProfileIngestService } from './profile-ingest.service';
import { ProfileRedisShutdown, profileRedisProvider, profileStoreProvider } from './profile-redis';
import type { ProfilerOptions } from './profiler-config';
import { profilerObservabilityProviders } from './profiler-observability';
import { PROFILER_OPTIONS } from './profiler-tokens';

@Module({})
export class ProfilerModule {
  static forRoot(options: ProfilerOptions, registry: Registry): DynamicModule {
    return {
      module: ProfilerModule,
      imports: [
        MessagingModule.forRoot({
          brokers: options.kafkaBrokers,
          clientId: `${options.clientId}-producer`,
          topicNamespace: options.topicNamespace,
        }),
      ],
      controllers: [ProfileInputController],
      providers: [
        { provide: PROFILER_OPTIONS, useValue: options },
        profileRedisProvider,
        profileStoreProvider,
        ProfileRedisShutdown,
        ProfileIngestService,
        ...profilerObservabilityProviders(options, registry),
      ],
    };
  }
}
