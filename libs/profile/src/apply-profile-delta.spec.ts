import fc from 'fast-check';
import { ProfileInputEvent } from '@lendstream/contracts';
import { applyProfileDelta } from './apply-profile-delta';
import { DAY_COUNTER_INDEX, dayCountersOf, EXACT_INTEGER_MAX } from './day-counters';
import { dayIndexOf } from './event-time';
import { profileDelta } from './profile-delta';
import { DEFAULT_PROFILE_RETENTION } from './profile-retention';
import { emptyProfileState, ProfileState } from './profile-state';
import { canonicalState, foldEvents } from './testing/profile-fold';
import {
  cancelled,
  delivered,
  dispatched,
  paid,
  refunded,
  returned,
  settled,
  snapshot,
  stockout,
} from './testing/profile-event-builders';

const dayOf = (isoDay: string) => dayIndexOf(Date.parse(`${isoDay}T00:00:00Z`));
const stateOf = (events: ProfileInputEvent[]): ProfileState => {
  const { state } = foldEvents(events);
  if (state === null) throw new Error('no state');
  return state;
};
const daysOf = (state: ProfileState) =>
  state.days.map((record) => [record.day, record.counters[DAY_COUNTER_INDEX.paidAmountMinor]]);

describe('applyProfileDelta: day buckets', () => {
  it('adds into the event-time day, creating records in day order', () => {
    const state = stateOf([
      paid('2026-11-10T09:00:00Z', 100n),
      paid('2026-11-10T23:59:59.999Z', 20n),
      paid('2026-11-11T00:00:00Z', 3n),
      refunded('2026-11-11T05:00:00Z', 7n),
    ]);
    expect(state.days).toEqual([
      { day: dayOf('2026-11-10'), counters: dayCountersOf({ paidAmountMinor: 120n, paidOrders: 2n }) },
      {
        day: dayOf('2026-11-11'),
        counters: dayCountersOf({
          paidAmountMinor: 3n,
          paidOrders: 1n,
          refundedAmountMinor: 7n,
          refunds: 1n,
        }),
      },
    ]);
  });

  it('lands a late event in its own (older) day, between existing records', () => {
    const state = stateOf([
      paid('2026-11-01T10:00:00Z', 1n),
      paid('2026-11-20T10:00:00Z', 2n),
      paid('2026-11-10T10:00:00Z', 4n),
    ]);
    expect(daysOf(state)).toEqual([
      [dayOf('2026-11-01'), 1n],
      [dayOf('2026-11-10'), 4n],
      [dayOf('2026-11-20'), 2n],
    ]);
  });

  it('marks a day active for events that count nothing (a placed order, a snapshot)', () => {
    const state = stateOf([snapshot('2026-11-10T10:00:00Z', 'wh', 1, 1n)]);
    expect(state.days).toEqual([{ day: dayOf('2026-11-10'), counters: dayCountersOf({}) }]);
  });

  it('keeps first-seen and newest event time as min and max, whatever the order', () => {
    const state = stateOf([
      paid('2026-11-10T10:00:00Z', 1n),
      paid('2026-11-01T10:00:00Z', 1n),
      paid('2026-11-05T10:00:00Z', 1n),
    ]);
    expect(new Date(state.firstSeenMs).toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(new Date(state.newestEventMs).toISOString()).toBe('2026-11-10T10:00:00.000Z');
  });
});

describe('applyProfileDelta: trimming into the carry', () => {
  // keptDays is 91: with the newest event on day N, days N-90..N are kept.
  const newest = '2027-03-01T12:00:00Z';
  const newestDay = dayOf('2027-03-01');

  it.each([
    ['90 days before the newest day: kept', newestDay - 90, true],
    ['91 days before the newest day: folded into the carry', newestDay - 91, false],
  ])('%s', (_, day, kept) => {
    const old = new Date(day * 86_400_000 + 3_600_000).toISOString();
    for (const order of [
      [paid(old, 500n), refunded(old, 100n), settled(old, 50n), paid(newest, 1n)],
      [paid(newest, 1n), paid(old, 500n), refunded(old, 100n), settled(old, 50n)],
    ]) {
      const state = stateOf(order);
      expect(state.days.some((record) => record.day === day)).toBe(kept);
      expect(state.carriedTotals).toEqual(kept ? [0n, 0n, 0n] : [500n, 100n, 50n]);
    }
  });

  it('folds only the carried counters (receivable parts); other counters of trimmed days are dropped', () => {
    const old = '2026-06-01T10:00:00Z';
    const state = stateOf([
      paid(old, 10n),
      cancelled(old),
      dispatched(old, old),
      settled(old, 4n),
      paid(newest, 1n),
    ]);
    expect(state.carriedTotals).toEqual([10n, 0n, 4n]);
    expect(state.days.map((record) => record.day)).toEqual([newestDay]);
  });

  it('carries across many trims, adding up', () => {
    const events = Array.from({ length: 200 }, (_, index) =>
      paid(new Date(Date.parse('2026-01-01T12:00:00Z') + index * 86_400_000).toISOString(), 1n),
    );
    const state = stateOf(events);
    expect(state.days).toHaveLength(91);
    expect(state.carriedTotals[0]).toBe(109n);
  });
});

describe('applyProfileDelta: currency', () => {
  it('takes the first money event currency and refuses another, leaving the state untouched', () => {
    const first = stateOf([
      cancelled('2026-11-10T10:00:00Z'),
      paid('2026-11-10T11:00:00Z', 5n, { currency: 'USD' }),
    ]);
    expect(first.currency).toBe('USD');
    const delta = profileDelta(paid('2026-11-12T11:00:00Z', 5n, { currency: 'CNY' }));
    if (!delta.ok) throw new Error('bad delta');
    const result = applyProfileDelta(first, delta.value, DEFAULT_PROFILE_RETENTION);
    expect(result.outcome).toBe('CURRENCY_MISMATCH');
    expect(result.state).toBe(first);
  });

  it('lets non-money events through whatever the currency', () => {
    expect(
      foldEvents([paid('2026-11-10T10:00:00Z', 5n, { currency: 'USD' }), cancelled('2026-11-10T11:00:00Z')])
        .outcomes,
    ).toEqual(['APPLIED', 'APPLIED']);
  });
});

describe('applyProfileDelta: exact sums', () => {
  it('refuses to pass 2^53 - 1: leaves the sum and flags the profile overflowed', () => {
    const base = emptyProfileState('m-1', Date.parse('2026-11-10T10:00:00Z'));
    const nearLimit: ProfileState = {
      ...base,
      days: [
        {
          day: dayOf('2026-11-10'),
          counters: dayCountersOf({ paidAmountMinor: EXACT_INTEGER_MAX - 1n, paidOrders: 1n }),
        },
      ],
    };
    const delta = profileDelta(paid('2026-11-10T11:00:00Z', 2n));
    if (!delta.ok) throw new Error('bad delta');
    const { state } = applyProfileDelta(nearLimit, delta.value, DEFAULT_PROFILE_RETENTION);
    expect(state.overflowed).toBe(true);
    expect(state.days[0]!.counters[DAY_COUNTER_INDEX.paidAmountMinor]).toBe(EXACT_INTEGER_MAX - 1n);
    expect(state.days[0]!.counters[DAY_COUNTER_INDEX.paidOrders]).toBe(2n);
  });
});

describe('applyProfileDelta: order independence (three topics interleave arbitrarily)', () => {
  const start = Date.parse('2026-08-01T00:00:00Z');
  const at = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
  // Counters over 150 days (so trimming happens), stock events within one hour (inside the late-event bound).
  const counted = fc.oneof(
    fc
      .record({
        hours: fc.integer({ min: 0, max: 150 * 24 }),
        amount: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      })
      .map(({ hours, amount }) => paid(at(hours), amount)),
    fc
      .record({
        hours: fc.integer({ min: 0, max: 150 * 24 }),
        amount: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      })
      .map(({ hours, amount }) => refunded(at(hours), amount)),
    fc
      .record({
        hours: fc.integer({ min: 0, max: 150 * 24 }),
        amount: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      })
      .map(({ hours, amount }) => settled(at(hours), amount)),
    fc.integer({ min: 0, max: 150 * 24 }).map((hours) => delivered(at(hours), at(hours + 1 - (hours % 3)))),
    fc.integer({ min: 0, max: 150 * 24 }).map((hours) => returned(at(hours))),
    fc
      .record({ minutes: fc.integer({ min: 0, max: 60 }), sku: fc.constantFrom('a', 'b', 'c') })
      .map(({ minutes, sku }) =>
        stockout(new Date(start + 100 * 86_400_000 + minutes * 60_000).toISOString(), 'wh', sku),
      ),
    fc
      .record({ minutes: fc.integer({ min: 0, max: 60 }), units: fc.integer({ min: 0, max: 100 }) })
      .map(({ minutes, units }) =>
        snapshot(
          new Date(start + 100 * 86_400_000 + minutes * 60_000).toISOString(),
          'wh',
          units,
          BigInt(units) * 100n,
        ),
      ),
  );

  it('gives the same profile for any permutation of the same events', () => {
    fc.assert(
      fc.property(
        fc
          .array(counted, { minLength: 1, maxLength: 60 })
          .chain((events) =>
            fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
          ),
        ([events, shuffled]) => {
          const inOrder = foldEvents(events).state!;
          const reordered = foldEvents(shuffled).state!;
          expect(canonicalState(reordered)).toEqual(canonicalState(inOrder));
        },
      ),
      { numRuns: 200 },
    );
  });
});
