import type { MessagingLogger } from '../logger';
import {
  AdvisoryLockHolding,
  lockClassAsOid,
  OutboxLockKeys,
  outboxLockKeys,
  planShardLeases,
  readShardLockTable,
} from '../outbox-shards';
import type { OutboxRelaySession } from './outbox-relay-session';

/**
 * The shards one relay holds, as session-level advisory locks on its session (see
 * outbox-shards.ts for the scheme). Lives and dies with its session: if the session breaks,
 * its locks may already be gone, and the relay starts over with a new session and no shards.
 */
export class OutboxShardLeases {
  private readonly keys: OutboxLockKeys;
  private readonly heldShards = new Set<number>();
  private conflictLogged = false;

  private constructor(
    private readonly session: OutboxRelaySession,
    private readonly shardCount: number,
    private readonly preferredStart: number,
    private readonly logger: MessagingLogger,
  ) {
    this.keys = outboxLockKeys(session.schema);
  }

  /** Joins the relays of the session's outbox (takes the shared member lock); holds no shard yet. */
  static async join(
    session: OutboxRelaySession,
    shardCount: number,
    random: () => number,
    logger: MessagingLogger,
  ): Promise<OutboxShardLeases> {
    const leases = new OutboxShardLeases(session, shardCount, Math.floor(random() * shardCount), logger);
    await session.query('SELECT pg_advisory_lock_shared($1, $2)', [leases.keys.memberClass, shardCount]);
    return leases;
  }

  /** The shards this relay may publish now, ascending. */
  held(): number[] {
    return [...this.heldShards].sort((a, b) => a - b);
  }

  holds(shard: number): boolean {
    return this.heldShards.has(shard);
  }

  /** Counts the live relays, then gives back a surplus or takes free shards up to a fair share. */
  async rebalance(): Promise<void> {
    const plan = planShardLeases({
      shardCount: this.shardCount,
      held: this.heldShards,
      lockTable: readShardLockTable(await this.readLockHoldings(), this.keys),
      preferredStart: this.preferredStart,
    });
    for (const shard of plan.release) {
      await this.session.query('SELECT pg_advisory_unlock($1, $2)', [this.keys.shardClass, shard]);
      this.heldShards.delete(shard);
    }
    if (plan.kind === 'conflict') {
      if (!this.conflictLogged) {
        this.logger.error(
          'Another outbox relay runs with a different shard count; this one publishes nothing until they agree',
          { shardCount: this.shardCount, otherShardCounts: plan.otherShardCounts },
        );
      }
      this.conflictLogged = true;
      return;
    }
    this.conflictLogged = false;
    let taken = 0;
    // Bounded by the shard count; try_lock never waits, so a shard taken meanwhile is skipped.
    for (const shard of plan.candidates) {
      if (taken >= plan.wanted) break;
      const [result]: Array<{ locked: boolean }> = await this.session.query(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [this.keys.shardClass, shard],
      );
      if (result?.locked === true) {
        this.heldShards.add(shard);
        taken += 1;
      }
    }
  }

  private async readLockHoldings(): Promise<AdvisoryLockHolding[]> {
    const rows: Array<{ lock_class: string; lock_id: string; holders: number }> = await this.session.query(
      `SELECT classid::bigint::text AS lock_class, objid::bigint::text AS lock_id,
              count(DISTINCT pid)::int AS holders
         FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid IN ($1::bigint::oid, $2::bigint::oid)
        GROUP BY classid, objid`,
      [lockClassAsOid(this.keys.shardClass), lockClassAsOid(this.keys.memberClass)],
    );
    return rows.map((row) => ({
      lockClassOid: Number(row.lock_class),
      lockId: Number(row.lock_id),
      holders: row.holders,
    }));
  }
}
