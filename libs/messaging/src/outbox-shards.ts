/**
 * How several outbox relays share the work without breaking order per key.
 *
 * Every message key hashes to one of `shardCount` shards (in SQL, so that every relay agrees:
 * `(hashtext(message_key) & 2147483647) % shardCount`). A relay publishes only the rows of the
 * shards it holds, and it holds a shard through a session-level Postgres advisory lock, so at
 * most one live relay publishes a given key at a time, and a crashed relay's shards are freed
 * the moment its connection closes. Plain `FOR UPDATE SKIP LOCKED` cannot give this: relay B
 * would skip a row of key K that relay A holds and publish K's next row before it.
 *
 * Each relay aims for a fair share, ceil(shardCount / live relays): one above it releases its
 * surplus, one below it takes free shards. Live relays are counted by a shared "member" lock
 * each of them holds, whose second key is the shard count, so that a relay configured with
 * another shard count (its shards would not line up) is seen and nobody publishes until the
 * configurations agree again.
 *
 * Pure: the adapter reads `pg_locks` and takes the locks; this file decides which.
 */

/** Most shards a relay may be configured with: a bound on every rebalance's work. */
export const MAX_OUTBOX_SHARDS = 1024;

/** The advisory lock keys of one outbox table (one per schema, so test schemas never collide). */
export interface OutboxLockKeys {
  /** First key of every shard lock; the second key is the shard number. */
  readonly shardClass: number;
  /** First key of the relays' shared member lock; the second key is their shard count. */
  readonly memberClass: number;
}

export function outboxLockKeys(schema: string): OutboxLockKeys {
  return {
    shardClass: advisoryLockClass(`lendstream.outbox.shard/${schema}`),
    memberClass: advisoryLockClass(`lendstream.outbox.member/${schema}`),
  };
}

/**
 * A stable signed 32-bit key for a name (FNV-1a), the type of the first argument of
 * `pg_try_advisory_lock(int, int)`. Computed here rather than with Postgres's `hashtext`
 * so that it is the same on every server version.
 */
export function advisoryLockClass(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** `pg_locks.classid` is an oid: the unsigned form of the signed key. */
export const lockClassAsOid = (lockClass: number): number => lockClass >>> 0;

/** One granted advisory lock of the outbox's key classes, as `pg_locks` lists it. */
export interface AdvisoryLockHolding {
  /** `classid`: one of the lock classes, as an oid. */
  readonly lockClassOid: number;
  /** `objid`: a shard number, or a member's shard count. */
  readonly lockId: number;
  /** How many sessions hold it (a member lock is shared by every live relay). */
  readonly holders: number;
}

export interface ShardLockTable {
  /** Live relays per configured shard count. */
  readonly membersByShardCount: ReadonlyMap<number, number>;
  /** Shards some relay holds (this one included). */
  readonly takenShards: ReadonlySet<number>;
}

export function readShardLockTable(
  holdings: readonly AdvisoryLockHolding[],
  keys: OutboxLockKeys,
): ShardLockTable {
  const membersByShardCount = new Map<number, number>();
  const takenShards = new Set<number>();
  for (const holding of holdings) {
    if (holding.lockClassOid === lockClassAsOid(keys.memberClass)) {
      membersByShardCount.set(holding.lockId, holding.holders);
    } else if (holding.lockClassOid === lockClassAsOid(keys.shardClass)) {
      takenShards.add(holding.lockId);
    }
  }
  return { membersByShardCount, takenShards };
}

/** The most shards one of `memberCount` relays should hold so that all of them are covered. */
export function fairShareOfShards(shardCount: number, memberCount: number): number {
  return Math.ceil(shardCount / Math.max(1, memberCount));
}

export interface ShardLeaseState {
  readonly shardCount: number;
  /** Shards this relay holds now. */
  readonly held: ReadonlySet<number>;
  readonly lockTable: ShardLockTable;
  /**
   * Where this relay starts looking for free shards: each relay picks its own at random, so
   * that relays joining together do not all race for shard 0, then 1, and so on.
   */
  readonly preferredStart: number;
}

export type ShardLeasePlan =
  | {
      readonly kind: 'rebalance';
      /** Shards to unlock now. */
      readonly release: readonly number[];
      /** Free shards to try to lock, in order, until `wanted` of them are taken. */
      readonly candidates: readonly number[];
      readonly wanted: number;
    }
  | {
      /** Another relay runs with a different shard count: hold nothing until it is gone. */
      readonly kind: 'conflict';
      readonly release: readonly number[];
      readonly otherShardCounts: readonly number[];
    };

export function planShardLeases(state: ShardLeaseState): ShardLeasePlan {
  const held = [...state.held].sort((a, b) => a - b);
  const otherShardCounts = [...state.lockTable.membersByShardCount.keys()].filter(
    (count) => count !== state.shardCount,
  );
  if (otherShardCounts.length > 0) return { kind: 'conflict', release: held, otherShardCounts };

  // This relay holds its own member lock, so it counts itself at least once.
  const members = Math.max(1, state.lockTable.membersByShardCount.get(state.shardCount) ?? 0);
  const share = fairShareOfShards(state.shardCount, members);
  if (held.length > share) {
    // Keep the lowest shards: a stable choice, so that two rebalances in a row agree.
    return { kind: 'rebalance', release: held.slice(share), candidates: [], wanted: 0 };
  }
  const candidates: number[] = [];
  for (let offset = 0; offset < state.shardCount; offset += 1) {
    const shard = (state.preferredStart + offset) % state.shardCount;
    if (!state.held.has(shard) && !state.lockTable.takenShards.has(shard)) candidates.push(shard);
  }
  return { kind: 'rebalance', release: [], candidates, wanted: share - held.length };
}
