import fc from 'fast-check';
import {
  advisoryLockClass,
  AdvisoryLockHolding,
  fairShareOfShards,
  lockClassAsOid,
  outboxLockKeys,
  planShardLeases,
  readShardLockTable,
  ShardLockTable,
} from './outbox-shards';

const table = (members: Array<[number, number]>, taken: number[] = []): ShardLockTable => ({
  membersByShardCount: new Map(members),
  takenShards: new Set(taken),
});

describe('advisoryLockClass', () => {
  it('is FNV-1a over UTF-8, as a signed 32-bit integer (stable across processes and servers)', () => {
    expect(advisoryLockClass('')).toBe(0x811c9dc5 | 0);
    expect(advisoryLockClass('a')).toBe(0xe40c292c | 0);
    expect(advisoryLockClass('foobar')).toBe(0xbf9cf968 | 0);
  });

  it('gives every schema its own shard and member classes', () => {
    const publicKeys = outboxLockKeys('public');
    const testKeys = outboxLockKeys('outbox_test_x');
    expect(
      new Set([publicKeys.shardClass, publicKeys.memberClass, testKeys.shardClass, testKeys.memberClass])
        .size,
    ).toBe(4);
  });

  it('stays within int4, and maps to pg_locks.classid as its unsigned form', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const key = advisoryLockClass(name);
        expect(Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31).toBe(true);
        expect(lockClassAsOid(key)).toBe(key < 0 ? key + 2 ** 32 : key);
      }),
    );
  });
});

describe('readShardLockTable', () => {
  it('splits pg_locks rows into live relays per shard count and taken shards, ignoring other classes', () => {
    const keys = { shardClass: -5, memberClass: 7 };
    const holdings: AdvisoryLockHolding[] = [
      { lockClassOid: 7, lockId: 16, holders: 3 },
      { lockClassOid: 7, lockId: 8, holders: 1 },
      { lockClassOid: 2 ** 32 - 5, lockId: 0, holders: 1 },
      { lockClassOid: 2 ** 32 - 5, lockId: 9, holders: 1 },
      { lockClassOid: 12345, lockId: 1, holders: 1 },
    ];
    expect(readShardLockTable(holdings, keys)).toEqual(
      table(
        [
          [16, 3],
          [8, 1],
        ],
        [0, 9],
      ),
    );
  });
});

describe('fairShareOfShards', () => {
  it.each([
    [16, 1, 16],
    [16, 3, 6],
    [16, 4, 4],
    [16, 17, 1],
    [1, 5, 1],
    [16, 0, 16], // a relay always counts itself
  ])('%i shards over %i relays: at most %i each', (shards, members, share) => {
    expect(fairShareOfShards(shards, members)).toBe(share);
  });
});

describe('planShardLeases', () => {
  it('takes free shards up to its share, looking from its preferred start and skipping taken ones', () => {
    const plan = planShardLeases({
      shardCount: 8,
      held: new Set([1]),
      lockTable: table([[8, 2]], [1, 2, 3, 7]),
      preferredStart: 6,
    });
    expect(plan).toEqual({ kind: 'rebalance', release: [], candidates: [6, 0, 4, 5], wanted: 3 });
  });

  it('gives back its highest shards when more relays joined, keeping its lowest', () => {
    const plan = planShardLeases({
      shardCount: 8,
      held: new Set([0, 1, 2, 3, 4, 5, 6, 7]),
      lockTable: table([[8, 3]], [0, 1, 2, 3, 4, 5, 6, 7]),
      preferredStart: 0,
    });
    expect(plan).toEqual({ kind: 'rebalance', release: [3, 4, 5, 6, 7], candidates: [], wanted: 0 });
  });

  it('holds steady at its share', () => {
    expect(
      planShardLeases({
        shardCount: 4,
        held: new Set([0, 1]),
        lockTable: table([[4, 2]], [0, 1, 2, 3]),
        preferredStart: 3,
      }),
    ).toEqual({ kind: 'rebalance', release: [], candidates: [], wanted: 0 });
  });

  it('gives back everything and takes nothing while a relay with another shard count runs', () => {
    expect(
      planShardLeases({
        shardCount: 16,
        held: new Set([4, 2]),
        lockTable: table([
          [16, 2],
          [32, 1],
        ]),
        preferredStart: 0,
      }),
    ).toEqual({ kind: 'conflict', release: [2, 4], otherShardCounts: [32] });
  });

  it('converges: every shard held by exactly one live relay, none above its share, whatever the joins, leaves and order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.record({ join: fc.boolean(), pick: fc.nat(), start: fc.nat() }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        (shardCount, events, rebalanceOrder) => {
          const cluster = new SimulatedCluster(shardCount);
          for (const event of events) {
            if (event.join || cluster.relays.length === 0) cluster.join(event.start % shardCount);
            else cluster.leave(event.pick % cluster.relays.length);
            cluster.rebalanceOnce(event.pick);
          }
          if (cluster.relays.length === 0) cluster.join(0);
          // Then quiet: every relay rebalances a few times, in an arbitrary order.
          for (const pick of rebalanceOrder) cluster.rebalanceOnce(pick);
          for (let round = 0; round < 3; round += 1)
            cluster.relays.forEach((relay) => cluster.rebalance(relay));

          const share = fairShareOfShards(shardCount, cluster.relays.length);
          const held = cluster.relays.flatMap((relay) => [...relay.held]);
          expect(held.sort((a, b) => a - b)).toEqual(Array.from({ length: shardCount }, (_, shard) => shard));
          for (const relay of cluster.relays) expect(relay.held.size).toBeLessThanOrEqual(share);
        },
      ),
    );
  });
});

interface SimulatedRelay {
  readonly held: Set<number>;
  readonly preferredStart: number;
}

/** Relays taking and giving back shards as try-locks on one lock table, like Postgres's. */
class SimulatedCluster {
  readonly relays: SimulatedRelay[] = [];
  private readonly owners = new Map<number, SimulatedRelay>();

  constructor(private readonly shardCount: number) {}

  join(preferredStart: number): void {
    this.relays.push({ held: new Set(), preferredStart });
  }

  /** A crash or a stop: the session ends, its locks go. */
  leave(index: number): void {
    const [relay] = this.relays.splice(index, 1);
    for (const shard of relay!.held) this.owners.delete(shard);
  }

  rebalanceOnce(pick: number): void {
    if (this.relays.length > 0) this.rebalance(this.relays[pick % this.relays.length]!);
  }

  rebalance(relay: SimulatedRelay): void {
    const plan = planShardLeases({
      shardCount: this.shardCount,
      held: relay.held,
      lockTable: table([[this.shardCount, this.relays.length]], [...this.owners.keys()]),
      preferredStart: relay.preferredStart,
    });
    for (const shard of plan.release) {
      relay.held.delete(shard);
      this.owners.delete(shard);
    }
    if (plan.kind === 'conflict') return;
    let taken = 0;
    for (const shard of plan.candidates) {
      if (taken >= plan.wanted) break;
      if (this.owners.has(shard)) continue; // try_lock fails
      this.owners.set(shard, relay);
      relay.held.add(shard);
      taken += 1;
    }
  }
}
