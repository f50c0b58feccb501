import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Module,
  ModuleMetadata,
  OnApplicationBootstrap,
  Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KafkaEventProducer } from './adapters/kafka-event-producer';
import { createNestMessagingLogger } from './adapters/nest-messaging-logger';
import { OutboxRelay } from './adapters/outbox-relay';
import type { OutboxRelayOptions } from './outbox-relay-options';

/** Injection token of the relay's options. */
export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

export interface OutboxRelayModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  readonly useFactory: (...args: never[]) => OutboxRelayOptions | Promise<OutboxRelayOptions>;
}

/**
 * Starts the relay once the app is up and stops it before the shutdown hooks run: Nest calls
 * every `beforeApplicationShutdown` before any `onApplicationShutdown`, and those are where the
 * shared producer disconnects and TypeORM closes the DataSource, both of which the round in
 * flight still needs.
 */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}

const relayProvider: Provider = {
  provide: OutboxRelay,
  inject: [OUTBOX_RELAY_OPTIONS, DataSource, KafkaEventProducer],
  useFactory: (options: OutboxRelayOptions, dataSource: DataSource, producer: KafkaEventProducer) =>
    new OutboxRelay(
      { dataSource, publisher: producer },
      { ...options, logger: options.logger ?? createNestMessagingLogger(OutboxRelay.name) },
    ),
};

/**
 * Runs an outbox relay in every app that emits events (underwriter, lending). Needs the app's
 * TypeORM DataSource (`TypeOrmModule.forRoot…`, the default connection) and the shared
 * producer (`MessagingModule.forRoot…`, which also sets the topic namespace). The relay keeps
 * one connection of its own besides the pool. Injects `OutboxRelay` for health and metrics
 * (`status()`, `outboxBacklog()`).
 */
@Module({})
export class OutboxRelayModule {
  static forRoot(options: OutboxRelayOptions = {}): DynamicModule {
    return {
      module: OutboxRelayModule,
      providers: [{ provide: OUTBOX_RELAY_OPTIONS, useValue: options }, relayProvider, OutboxRelayLifecycle],
      exports: [OutboxRelay],
    };
  }

  static forRootAsync(options: OutboxRelayModuleAsyncOptions): DynamicModule {
    return {
      module: OutboxRelayModule,
      imports: options.imports ?? [],
      providers: [
        { provide: OUTBOX_RELAY_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        relayProvider,
        OutboxRelayLifecycle,
      ],
      exports: [OutboxRelay],
    };
  }
}
