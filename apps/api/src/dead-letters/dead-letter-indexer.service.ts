import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeadLetterIndexer, insertDeadLetters } from '@lendstream/dead-letters';
import { createNestMessagingLogger } from '@lendstream/messaging';
import type { ApiOptions } from '../api-config';
import { API_OPTIONS } from '../api-tokens';

/**
 * Runs the dead-letter indexer inside the API process (when API_DEAD_LETTER_INDEXER is on), so
 * that GET /v1/dead-letters needs no other deployable: replicas share one consumer group and
 * the index's unique key makes a record indexed twice harmless. It starts in the background:
 * the API serves while Kafka is unreachable, and the indexer joins when it can.
 */
@Injectable()
export class DeadLetterIndexerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly indexer: DeadLetterIndexer | undefined;

  constructor(@Inject(API_OPTIONS) options: ApiOptions, @Inject(DataSource) dataSource: DataSource) {
    if (!options.deadLetterIndexer.enabled) return;
    this.indexer = new DeadLetterIndexer({
      brokers: options.kafkaBrokers,
      clientId: `${options.clientId}-dead-letters`,
      groupId: options.deadLetterIndexer.groupId,
      topicNamespace: options.topicNamespace,
      logger: createNestMessagingLogger('DeadLetterIndexer'),
      store: async (entries) => {
        await insertDeadLetters(dataSource.manager, entries);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.indexer?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.indexer?.stop();
  }
}
