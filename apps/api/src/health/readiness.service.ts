import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { ApiOptions } from '../api-config';
import { API_KAFKA_ADMIN, API_OPTIONS, API_REDIS } from '../api-tokens';
import { checkReadiness, ReadinessReport } from '@lendstream/platform';

/** Kafka (describeCluster), Postgres (`SELECT 1`) and Redis (PING), each bounded by API_HEALTH_TIMEOUT_MS. */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(API_KAFKA_ADMIN) private readonly kafkaAdmin: Admin,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  check(): Promise<ReadinessReport> {
    return checkReadiness(
      {
        kafka: () => this.describeKafkaCluster(),
        postgres: () => this.dataSource.query('SELECT 1'),
        redis: () => this.redis.ping(),
      },
      this.options.healthTimeoutMs,
    );
  }

  /** Connects on first use; a failure drops the connection so the next check starts afresh. */
  private async describeKafkaCluster(): Promise<void> {
    try {
      await this.kafkaAdmin.connect();
      await this.kafkaAdmin.describeCluster();
    } catch (error) {
      await this.kafkaAdmin.disconnect().catch(() => undefined);
      throw error;
    }
  }
}
