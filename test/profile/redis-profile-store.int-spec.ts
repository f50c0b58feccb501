import type Redis from 'ioredis';
import { DeadLetterReason, type ProfileInputEvent } from '@lendstream/contracts';
import {
  DAY_COUNTER_INDEX,
  dayIndexOf,
  measureProfileMemory,
  MessageApplyOutcome,
  ProfileState,
  RedisProfileStore,
} from '@lendstream/profile';
import {
  cancelled,
  delivered,
  paid,
  refunded,
  settled,
  snapshot,
  stockout,
} from '../../libs/profile/src/testing/profile-event-builders';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from './support/redis-namespace';
import { TopicLog } from './support/profile-batches';

const summary = (outcomes: readonly MessageApplyOutcome[]) =>
  outcomes.map((outcome) => outcome.duplicateKind ?? outcome.violation?.reason ?? outcome.status);
const paidOf = (state: ProfileState | null, isoDay: string) =>
  state?.days.find((record) => record.day === dayIndexOf(Date.parse(`${isoDay}T00:00:00Z`)))?.counters[
    DAY_COUNTER_INDEX.paidAmountMinor
  ];

describe('RedisProfileStore (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let store: RedisProfileStore;
  let log: TopicLog;

  beforeAll(() => {
    redis = connectRedis();
  });
  afterAll(() => redis.quit());
  beforeEach(async () => {
    prefix = uniqueKeyPrefix();
    store = new RedisProfileStore(redis, { keyPrefix: prefix });
    await store.loadScript();
    log = new TopicLog();
  });
  afterEach(() => deleteKeysUnder(redis, prefix));

  const apply = async (events: ProfileInputEvent[]) => {
    const outcomes: MessageApplyOutcome[] = [];
    for (const batch of log.append(events)) outcomes.push(...(await store.applyBatch(batch)));
    return outcomes;
  };

  it('counts an event applied twice at the same position once (a Kafka redelivery)', async () => {
    const event = paid('2026-11-11T10:00:00Z', 700n);
    const [batch] = log.append([event]);
    expect(summary(await store.applyBatch(batch!))).toEqual(['APPLIED']);
    expect(summary(await store.applyBatch(batch!))).toEqual(['REDELIVERY']);
    expect(paidOf(await store.readProfile('m-000042'), '2026-11-11')).toBe(700n);
  });

  it('absorbs a redelivered batch that overlaps new messages', async () => {
    const [first] = log.append([paid('2026-11-11T10:00:00Z', 1n), paid('2026-11-11T11:00:00Z', 2n)]);
    await store.applyBatch(first!);
    const [second] = log.append([paid('2026-11-11T12:00:00Z', 4n)]);
    const overlapping = { ...second!, messages: [...first!.messages, ...second!.messages] };
    expect(summary(await store.applyBatch(overlapping))).toEqual(['REDELIVERY', 'REDELIVERY', 'APPLIED']);
    expect(paidOf(await store.readProfile('m-000042'), '2026-11-11')).toBe(7n);
  });

  it.each([
    ['24 h', 'once (REPUBLISHED_COPY)', 24, 'REPUBLISHED_COPY', 100n],
    ['25 h', 'again (APPLIED)', 25, 'APPLIED', 200n],
  ])(
    'a re-published copy (same source and id, new offset) with the stream %s ahead counts %s',
    async (_, __, hoursAhead, expected, total) => {
      const original = paid('2026-11-11T10:30:00Z', 100n, { id: 'order-7:paid' });
      const later = paid(
        new Date(Date.parse('2026-11-11T10:00:00Z') + hoursAhead * 3_600_000).toISOString(),
        0n,
      );
      const copy = paid('2026-11-11T10:30:00Z', 100n, { id: 'order-7:paid' });
      expect(summary(await apply([original, later, copy]))).toEqual(['APPLIED', 'APPLIED', expected]);
      expect(paidOf(await store.readProfile('m-000042'), '2026-11-11')).toBe(total);
    },
  );

  it('catches a copy within one batch, and tells copies from the same id of another source', async () => {
    const original = paid('2026-11-11T10:00:00Z', 5n, { id: 'x' });
    const otherSource = paid('2026-11-11T10:00:00Z', 5n, { id: 'x', source: '/platform/orders-eu' });
    expect(summary(await apply([original, original, otherSource]))).toEqual([
      'APPLIED',
      'REPUBLISHED_COPY',
      'APPLIED',
    ]);
  });

  /** The fingerprints of a stream, as stored: the hours of its groups and how many each holds. */
  const fingerprintGroups = async (merchantId: string, letter: 'o' | 'w' | 'l') => {
    const bytes = (await redis.getBuffer(`${prefix}:{${merchantId}}:f:${letter}`))!;
    const groups: { hour: number; fingerprints: number }[] = [];
    for (let end = bytes.length; end > 8;) {
      const fingerprints = bytes.readUInt8(end - 5);
      groups.unshift({ hour: bytes.readUInt32BE(end - 4), fingerprints });
      end -= 5 + fingerprints * 8;
    }
    expect(groups.reduce((sum, group) => sum + group.fingerprints, 0)).toBe(bytes.readUInt32BE(4));
    return { newestHour: bytes.readUInt32BE(0), groups };
  };
  const hourOf = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);

  it('remembers fingerprints by event-time hour and forgets those 24 h behind the stream', async () => {
    const times = [
      '2026-11-11T00:10:00Z',
      '2026-11-11T00:20:00Z',
      '2026-11-11T05:00:00Z',
      '2026-11-12T00:30:00Z',
    ];
    await apply(times.map((time) => paid(time, 1n)));
    expect(await fingerprintGroups('m-000042', 'o')).toEqual({
      newestHour: hourOf('2026-11-12T00:30:00Z'),
      groups: [
        { hour: hourOf('2026-11-11T00:10:00Z'), fingerprints: 2 },
        { hour: hourOf('2026-11-11T05:00:00Z'), fingerprints: 1 },
        { hour: hourOf('2026-11-12T00:30:00Z'), fingerprints: 1 },
      ],
    });
    await apply([paid('2026-11-12T01:00:00Z', 1n)]);
    expect((await fingerprintGroups('m-000042', 'o')).groups.map((group) => group.hour)).toEqual([
      hourOf('2026-11-11T05:00:00Z'),
      hourOf('2026-11-12T00:30:00Z'),
      hourOf('2026-11-12T01:00:00Z'),
    ]);
  });

  it('keeps at most fingerprintsMax entries per stream, forgetting the oldest hours first', async () => {
    const small = new RedisProfileStore(redis, {
      keyPrefix: prefix,
      fingerprints: { horizonHours: 24, fingerprintsMax: 6 },
    });
    await small.loadScript();
    for (let hour = 0; hour < 5; hour += 1) {
      const batch = [0, 1].map((minute) =>
        paid(
          new Date(Date.parse('2026-11-11T00:00:00Z') + hour * 3_600_000 + minute * 60_000).toISOString(),
          1n,
        ),
      );
      for (const profileBatch of log.append(batch)) await small.applyBatch(profileBatch);
    }
    const { groups } = await fingerprintGroups('m-000042', 'o');
    expect(groups.reduce((sum, group) => sum + group.fingerprints, 0)).toBeLessThanOrEqual(6);
    expect(groups.at(-1)).toEqual({ hour: hourOf('2026-11-11T04:00:00Z'), fingerprints: 2 });
    expect(await redis.pttl(`${prefix}:{m-000042}:f:o`)).toBeGreaterThan(47 * 3_600_000);
  });

  it('lands late events inside the window in their own day bucket', async () => {
    await apply([
      paid('2026-11-20T10:00:00Z', 1n),
      paid('2026-11-10T10:00:00Z', 2n),
      paid('2026-11-15T10:00:00Z', 4n),
      paid('2026-11-10T23:59:59.999Z', 8n),
    ]);
    const state = await store.readProfile('m-000042');
    expect(
      state!.days.map((record) => [record.day, record.counters[DAY_COUNTER_INDEX.paidAmountMinor]]),
    ).toEqual([
      [dayIndexOf(Date.parse('2026-11-10T00:00:00Z')), 10n],
      [dayIndexOf(Date.parse('2026-11-15T00:00:00Z')), 4n],
      [dayIndexOf(Date.parse('2026-11-20T00:00:00Z')), 1n],
    ]);
    const profile = await store.readWindows('m-000042', new Date('2026-11-20T12:00:00Z'));
    expect(profile!.windows[7].paidAmountMinor).toBe(5n);
    expect(profile!.windows[30].activeDays).toBe(3);
  });

  it('rejects a money event in another currency without applying it, and again on redelivery', async () => {
    const foreign = refunded('2026-11-11T11:00:00Z', 50n, { currency: 'USD' });
    expect(
      summary(await apply([paid('2026-11-11T10:00:00Z', 100n), foreign, cancelled('2026-11-11T12:00:00Z')])),
    ).toEqual(['APPLIED', DeadLetterReason.CURRENCY_MISMATCH, 'APPLIED']);
    const redelivered = await store.applyBatch(log.at(foreign, 1));
    expect(redelivered[0]).toMatchObject({
      status: 'REJECTED',
      violation: { reason: DeadLetterReason.CURRENCY_MISMATCH, field: 'data.currency' },
    });
    const state = await store.readProfile('m-000042');
    expect(state!.currency).toBe('CNY');
    expect(state!.days[0]!.counters[DAY_COUNTER_INDEX.refunds]).toBe(0n);
    expect(state!.days[0]!.counters[DAY_COUNTER_INDEX.cancellations]).toBe(1n);
  });

  it('refuses events the profile cannot hold without calling Redis for them', async () => {
    const outcomes = await apply([paid('2026-11-11T10:00:00Z', 2n ** 50n)]);
    expect(outcomes[0]).toMatchObject({
      status: 'REJECTED',
      violation: { reason: DeadLetterReason.INVALID_AMOUNT },
    });
    expect(await store.readProfile('m-000042')).toBeNull();
  });

  it('keeps one applied position per input topic, restarting it on another partition', async () => {
    await apply([
      paid('2026-11-11T10:00:00Z', 1n),
      paid('2026-11-11T10:00:00Z', 1n),
      stockout('2026-11-11T10:00:00Z', 'wh', 'a'),
    ]);
    await store.applyBatch(log.at(delivered('2026-11-11T10:00:00Z', '2026-11-12T10:00:00Z'), 41, 3));
    expect((await store.readProfile('m-000042'))!.appliedPositions).toEqual({
      orders: { partition: 0, fromOffset: 0, throughOffset: 1 },
      warehouse: { partition: 0, fromOffset: 0, throughOffset: 0 },
      logistics: { partition: 3, fromOffset: 41, throughOffset: 41 },
    });
  });

  it('applies many merchants in one batch, and a merchant beyond the per-call limit in order over several round trips', async () => {
    const small = new RedisProfileStore(redis, { keyPrefix: prefix, eventsPerCallMax: 2 });
    const events = ['m-1', 'm-2', 'm-3'].flatMap((merchantId) =>
      [1n, 2n, 4n, 8n, 16n].map((amount) => paid('2026-11-11T10:00:00Z', amount, { merchantId })),
    );
    const [batch] = log.append(events);
    expect(summary(await small.applyBatch(batch!)).every((status) => status === 'APPLIED')).toBe(true);
    for (const merchantId of ['m-1', 'm-2', 'm-3']) {
      const state = await small.readProfile(merchantId);
      expect(state!.days[0]!.counters[DAY_COUNTER_INDEX.paidOrders]).toBe(5n);
      expect(state!.appliedPositions.orders!.throughOffset).toBe(
        Number(batch!.messages.filter((m) => m.event.data.merchantId === merchantId).at(-1)!.offset),
      );
    }
  });

  it('loads its script on NOSCRIPT (a store whose script Redis has never seen)', async () => {
    const unloaded = new RedisProfileStore(redis, {
      keyPrefix: prefix,
      fingerprints: { horizonHours: 24, fingerprintsMax: 10_000 + Math.floor(Math.random() * 100_000) },
    });
    const [batch] = log.append([settled('2026-11-11T10:00:00Z', 3n)]);
    expect(summary(await unloaded.applyBatch(batch!))).toEqual(['APPLIED']);
  });

  it('answers null for a merchant without a profile (the underwriter fails closed)', async () => {
    expect(await store.readProfile('m-unknown')).toBeNull();
    expect(await store.readWindows('m-unknown', new Date())).toBeNull();
  });

  it('measures a merchant profile and its fingerprints apart', async () => {
    await apply([paid('2026-11-11T10:00:00Z', 1n), snapshot('2026-11-11T10:00:00Z', 'wh', 1, 1n)]);
    const memory = await measureProfileMemory(redis, prefix, 'm-000042');
    expect(memory.profileBytes).toBeGreaterThan(100);
    expect(memory.dedupeBytes).toBeGreaterThan(memory.profileBytes / 2);
    expect(await measureProfileMemory(redis, prefix, 'm-nobody')).toEqual({
      profileBytes: 0,
      dedupeBytes: 0,
    });
  });
});
