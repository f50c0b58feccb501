import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  ModuleMetadata,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { KafkaEventProducer } from './adapters/kafka-event-producer';
import { createNestMessagingLogger } from './adapters/nest-messaging-logger';
import type { KafkaEventProducerOptions } from './event-producer-options';

/** Injection token of the producer's options. */
export const KAFKA_EVENT_PRODUCER_OPTIONS = Symbol('KAFKA_EVENT_PRODUCER_OPTIONS');

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  readonly useFactory: (...args: never[]) => KafkaEventProducerOptions | Promise<KafkaEventProducerOptions>;
}

/** Disconnects the shared producer after the transports have drained (Nest closes servers first). */
@Injectable()
class EventProducerShutdown implements OnApplicationShutdown {
  constructor(@Inject(KafkaEventProducer) private readonly producer: KafkaEventProducer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

const producerProvider: Provider = {
  provide: KafkaEventProducer,
  inject: [KAFKA_EVENT_PRODUCER_OPTIONS],
  // Connected before the app boots: a broker that cannot be reached fails the boot, not the first publish.
  useFactory: async (options: KafkaEventProducerOptions) => {
    const producer = new KafkaEventProducer({
      ...options,
      logger: options.logger ?? createNestMessagingLogger(KafkaEventProducer.name),
    });
    await producer.connect();
    return producer;
  },
};

/**
 * Gives the whole app one shared, connected KafkaEventProducer (global: import it once, in
 * the root module). Consuming is the transport's job: see KafkaBatchTransport.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: KafkaEventProducerOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: KAFKA_EVENT_PRODUCER_OPTIONS, useValue: options },
        producerProvider,
        EventProducerShutdown,
      ],
      exports: [KafkaEventProducer],
    };
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: KAFKA_EVENT_PRODUCER_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory,
        },
        producerProvider,
        EventProducerShutdown,
      ],
      exports: [KafkaEventProducer],
    };
  }
}
