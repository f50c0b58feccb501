import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { RedisProfileStore } from '@lendstream/profile';
import {
  decideShadowBacklog,
  defaultUnderwritingPolicies,
  seedPortfolioBudget,
  ShadowLaneReport,
  UnderwritingService,
  type UnderwritingServiceOptions,
} from '@lendstream/credit';
import { TopicLog } from '../../profile/support/profile-batches';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../../profile/support/redis-namespace';
import { UnderwriterTestDatabase } from './underwriter-database';

/**
 * The underwriting use case in this process against the real Postgres (a database of its own)
 * and the real Redis (a key prefix of its own): no Nest, which Jest cannot load, and no Kafka,
 * which the end-to-end test covers.
 */
export class UnderwritingFixture {
  private constructor(
    readonly database: UnderwriterTestDatabase,
    readonly dataSource: DataSource,
    readonly redis: Redis,
    readonly keyPrefix: string,
    readonly store: RedisProfileStore,
    readonly service: UnderwritingService,
    readonly log: TopicLog,
  ) {}

  static async create(
    label: string,
    budgetMinor: bigint,
    serviceOptions?: UnderwritingServiceOptions,
  ): Promise<UnderwritingFixture> {
    const database = await UnderwriterTestDatabase.create(label);
    const redis = connectRedis();
    try {
      const dataSource = await database.connect(`uw-${label}`);
      await seedPortfolioBudget(dataSource.manager, 'CNY', budgetMinor);
      const keyPrefix = uniqueKeyPrefix('uw');
      const store = new RedisProfileStore(redis, { keyPrefix });
      await store.loadScript();
      const service = new UnderwritingService(dataSource, store, defaultUnderwritingPolicies(), serviceOptions);
      return new UnderwritingFixture(database, dataSource, redis, keyPrefix, store, service, new TopicLog());
    } catch (error) {
      redis.disconnect();
      await database.cleanup();
      throw error;
    }
  }

  liveDecisions(merchantId: string): Promise<Array<{ event_type: string | null; profile_found: boolean }>> {
    return this.dataSource.query(
      `SELECT event_type, profile_found FROM credit_decisions WHERE merchant_id = $1 AND NOT shadow
       ORDER BY recorded_at`,
      [merchantId],
    );
  }

  /** Runs the shadow lane until its queue is empty (no linger), as the underwriter app's scheduler does; the reports of every turn. */
  async drainShadowLane(merchantsMax = 50): Promise<ShadowLaneReport[]> {
    const reports: ShadowLaneReport[] = [];
    for (;;) {
      const report = await decideShadowBacklog(this.dataSource, defaultUnderwritingPolicies().challengers, {
        merchantsMax,
        lingerMs: 0,
      });
      if (report.taken === 0) return reports;
      reports.push(report);
    }
  }

  async queuedForShadow(): Promise<string[]> {
    const rows: Array<{ decision_id: string }> = await this.dataSource.query(
      `SELECT decision_id FROM shadow_decision_queue ORDER BY seq`,
    );
    return rows.map((row) => row.decision_id);
  }

  async outboxTypes(merchantId: string): Promise<string[]> {
    const rows: Array<{ type: string }> = await this.dataSource.query(
      `SELECT payload->>'type' AS type FROM outbox WHERE message_key = $1 ORDER BY id`,
      [merchantId],
    );
    return rows.map((row) => row.type);
  }

  async cleanup(): Promise<void> {
    await deleteKeysUnder(this.redis, this.keyPrefix).catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.database.cleanup();
  }
}
