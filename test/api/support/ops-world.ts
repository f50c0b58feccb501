/**
 * A small real world for the ops API's writes: a scratch database with real credit lines,
 * granted by the real underwriting use case from profiles the real Redis store built out of a
 * seeded market whose days end yesterday (so "now", the time operations act at, follows
 * straight on from the merchants' events, as in production).
 */
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { createEvent, type CloudEvent, type ProfileInputEvent } from '@lendstream/contracts';
import { defaultUnderwritingPolicies, seedPortfolioBudget, UnderwritingService } from '@lendstream/credit';
import { PROFILE_CHANGED_SOURCE, RedisProfileStore } from '@lendstream/profile';
import { simulateMarket } from '@lendstream/simulation';
import { randomUUID } from 'node:crypto';
import { TopicLog } from '../../profile/support/profile-batches';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../../profile/support/redis-namespace';
import { applyToStore } from '../../underwriter/support/simulated-profiles';
import { ApiTestDatabase } from './api-test-database';

const DAY_MS = 86_400_000;
const MARKET_DAYS = 61;

export class OpsWorld {
  private constructor(
    readonly database: ApiTestDatabase,
    readonly db: DataSource,
    readonly redis: Redis,
    readonly profileKeyPrefix: string,
    readonly store: RedisProfileStore,
    readonly underwriting: UnderwritingService,
    /** The merchants of the market, sorted; each has a profile. */
    readonly merchants: readonly string[],
    /** The newest event time of each merchant. */
    readonly newestEventAt: ReadonlyMap<string, string>,
  ) {}

  static async create(label: string, merchants: number, budgetMinor: bigint): Promise<OpsWorld> {
    const database = await ApiTestDatabase.create(label);
    const redis = connectRedis();
    try {
      const db = await database.connect(`api-${label}`, 4);
      await seedPortfolioBudget(db.manager, 'CNY', budgetMinor);
      const profileKeyPrefix = uniqueKeyPrefix('api');
      const store = new RedisProfileStore(redis, { keyPrefix: profileKeyPrefix });
      await store.loadScript();
      const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
      const start = new Date(today - MARKET_DAYS * DAY_MS).toISOString().slice(0, 10);
      const events: ProfileInputEvent[] = [
        ...simulateMarket({
          seed: `api-${label}`,
          merchants,
          days: MARKET_DAYS,
          start,
          archetypeMix: { steady: 1 },
        }),
      ]
        .map(({ event }) => event)
        .filter((event) => Date.parse(event.time) < Date.now());
      await applyToStore(store, new TopicLog(), events);
      const newestEventAt = new Map<string, string>();
      for (const event of events) {
        const seen = newestEventAt.get(event.data.merchantId);
        if (seen === undefined || Date.parse(event.time) > Date.parse(seen))
          newestEventAt.set(event.data.merchantId, new Date(event.time).toISOString());
      }
      const underwriting = new UnderwritingService(db, store, defaultUnderwritingPolicies());
      return new OpsWorld(
        database,
        db,
        redis,
        profileKeyPrefix,
        store,
        underwriting,
        [...newestEventAt.keys()].sort(),
        newestEventAt,
      );
    } catch (error) {
      redis.disconnect();
      await database.cleanup();
      throw error;
    }
  }

  /** A profile.changed signal as of the merchant's newest event, as the profiler would send it. */
  signalFor(merchantId: string): CloudEvent<'profile.changed'> {
    const asOf = this.newestEventAt.get(merchantId)!;
    return createEvent({
      type: 'profile.changed',
      id: `pc-${randomUUID()}`,
      source: PROFILE_CHANGED_SOURCE,
      time: asOf,
      data: { merchantId, asOf },
    }) as CloudEvent<'profile.changed'>;
  }

  async outboxTypes(merchantId: string): Promise<string[]> {
    const rows: Array<{ type: string }> = await this.db.query(
      `SELECT payload->>'type' AS type FROM outbox WHERE message_key = $1 ORDER BY id`,
      [merchantId],
    );
    return rows.map((row) => row.type);
  }

  async auditCount(): Promise<number> {
    const [row]: Array<{ count: number }> = await this.db.query(
      `SELECT count(*)::int AS count FROM audit_log`,
    );
    return row!.count;
  }

  async cleanup(): Promise<void> {
    await deleteKeysUnder(this.redis, this.profileKeyPrefix).catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.database.cleanup();
  }
}
