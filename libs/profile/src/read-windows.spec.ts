import { ProfileInputEvent } from '@lendstream/contracts';
import fc from 'fast-check';
import { DAY_COUNTER_COUNT, DAY_COUNTER_INDEX, DayCounterName, zeroDayCounters } from './day-counters';
import { DAY_MS, startOfDayMs } from './event-time';
import { MerchantProfile, WindowTotals } from './merchant-profile';
import { PROFILE_WINDOW_DAYS, ProfileWindowDays } from './profile-retention';
import { noAppliedPositions, ProfileState } from './profile-state';
import { ratioOf } from './ratio';
import { isoDayOf, readWindows } from './read-windows';
import { foldEvents } from './testing/profile-fold';
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

const profileOf = (events: ProfileInputEvent[], asOf: string) =>
  readWindows(foldEvents(events).state!, new Date(asOf));
const AS_OF = '2026-11-30T15:00:00.000Z';

describe('readWindows: window boundaries (whole UTC days ending with asOf day)', () => {
  it.each([
    [1, '2026-11-30T00:00:00.000Z', true],
    [1, '2026-11-29T23:59:59.999Z', false],
    [7, '2026-11-24T00:00:00.000Z', true],
    [7, '2026-11-23T23:59:59.999Z', false],
    [30, '2026-11-01T00:00:00.000Z', true],
    [30, '2026-10-31T23:59:59.999Z', false],
    [90, '2026-09-02T00:00:00.000Z', true],
    [90, '2026-09-01T23:59:59.999Z', false],
    // The whole day of asOf counts, even after asOf itself; the next day does not.
    [1, '2026-11-30T23:59:59.999Z', true],
    [90, '2026-12-01T00:00:00.000Z', false],
  ] as const)('the %i-day window %s includes an event at %s: %s', (windowDays, time, included) => {
    const profile = profileOf([paid(time, 100n), paid('2026-12-01T10:00:00Z', 1n)], AS_OF);
    expect(profile.windows[windowDays].paidAmountMinor).toBe(included ? 100n : 0n);
    expect(profile.windows[windowDays].activeDays).toBe(included ? 1 : 0);
  });

  it('names the window days', () => {
    const profile = profileOf([paid(AS_OF, 1n)], AS_OF);
    expect(profile.windows[7]).toMatchObject({
      windowDays: 7,
      fromDay: '2026-11-24',
      throughDay: '2026-11-30',
    });
    expect(profile.windows[90]).toMatchObject({ fromDay: '2026-09-02', throughDay: '2026-11-30' });
  });
});

describe('readWindows: arithmetic', () => {
  const events = [
    paid('2026-11-30T01:00:00Z', 1_000n),
    paid('2026-11-30T02:00:00Z', 3_000n),
    paid('2026-11-28T02:00:00Z', 6_000n),
    refunded('2026-11-30T03:00:00Z', 500n),
    settled('2026-11-29T03:00:00Z', 2_000n),
    cancelled('2026-11-30T04:00:00Z'),
    dispatched('2026-11-29T04:00:00Z', '2026-12-01T00:00:00Z'),
    dispatched('2026-11-29T05:00:00Z', '2026-12-01T00:00:00Z'),
    delivered('2026-11-30T05:00:00Z', '2026-12-01T00:00:00Z'),
    delivered('2026-11-30T06:00:00Z', '2026-11-30T05:00:00Z'),
    delivered('2026-11-30T07:00:00Z', '2026-11-30T07:00:00Z'),
    returned('2026-11-30T08:00:00Z'),
    stockout('2026-11-30T09:00:00Z', 'wh', 'a'),
  ];
  const profile = profileOf(events, AS_OF);

  it('sums each counter over the window', () => {
    expect(profile.windows[1]).toMatchObject({
      paidAmountMinor: 4_000n,
      paidOrders: 2,
      refundedAmountMinor: 500n,
      refunds: 1,
      cancellations: 1,
      settledAmountMinor: 0n,
      stockouts: 1,
      shipmentsDispatched: 0,
      shipmentsDelivered: 3,
      shipmentsDeliveredOnTime: 2,
      shipmentsDeliveredLate: 1,
      shipmentsReturned: 1,
      activeDays: 1,
    });
    expect(profile.windows[7]).toMatchObject({
      paidAmountMinor: 10_000n,
      paidOrders: 3,
      settledAmountMinor: 2_000n,
      shipmentsDispatched: 2,
      activeDays: 3,
    });
  });

  it('gives rates as exact fractions and floored basis points', () => {
    expect(profile.windows[7].rates).toEqual({
      refundRate: { numerator: 1n, denominator: 3n, basisPoints: 3_333 },
      refundAmountRate: { numerator: 500n, denominator: 10_000n, basisPoints: 500 },
      cancelRate: { numerator: 1n, denominator: 4n, basisPoints: 2_500 },
      onTimeDeliveryRate: { numerator: 2n, denominator: 3n, basisPoints: 6_666 },
      returnRate: { numerator: 1n, denominator: 3n, basisPoints: 3_333 },
    });
  });

  it('has no rate without a denominator', () => {
    const quiet = profileOf([cancelled('2026-11-30T01:00:00Z')], AS_OF);
    expect(quiet.windows[30].rates.refundRate).toEqual({ numerator: 0n, denominator: 0n, basisPoints: null });
    expect(quiet.windows[30].rates.cancelRate.basisPoints).toBe(10_000);
  });

  it('reports the latest inventory summed over warehouses and the SKUs out of stock', () => {
    const stock = profileOf(
      [
        snapshot('2026-11-29T01:00:00Z', 'wh-1', 5, 500n),
        snapshot('2026-11-30T01:00:00Z', 'wh-1', 3, 300n),
        snapshot('2026-11-30T01:00:00Z', 'wh-2', 2, 250n),
        stockout('2026-11-30T02:00:00Z', 'wh-1', 'a'),
      ],
      AS_OF,
    );
    expect(stock.inventory).toEqual({ valueMinor: 550n, onHandUnits: 5n, warehouses: 2 });
    expect(stock.stockKeepingUnitsOutOfStock).toBe(1);
    expect(stock.currency).toBe('CNY');
    expect(stock.firstSeenAt).toBe('2026-11-29T01:00:00.000Z');
    expect(stock.newestEventAt).toBe('2026-11-30T02:00:00.000Z');
  });
});

describe('readWindows: receivables (all time, with the carry)', () => {
  const events = [
    paid('2026-03-01T10:00:00Z', 10_000n), // trimmed into the carry by the November events
    settled('2026-03-08T10:00:00Z', 7_000n),
    refunded('2026-03-09T10:00:00Z', 1_000n),
    paid('2026-11-29T10:00:00Z', 500n),
    settled('2026-11-30T10:00:00Z', 200n),
    paid('2026-12-01T10:00:00Z', 40n), // after asOf's day
  ];

  it('is paid − refunded − settled over the carry and every kept day up to asOf', () => {
    const state = foldEvents(events).state!;
    expect(state.carriedTotals).toEqual([10_000n, 1_000n, 7_000n]);
    expect(readWindows(state, new Date(AS_OF)).receivablesOutstandingMinor).toBe(
      10_000n - 1_000n - 7_000n + 500n - 200n,
    );
    expect(readWindows(state, new Date('2026-12-01T10:00:00Z')).receivablesOutstandingMinor).toBe(2_340n);
  });

  it('can be negative when settlements of orders paid before the profile began outweigh its payments', () => {
    expect(profileOf([settled('2026-11-30T10:00:00Z', 300n)], AS_OF).receivablesOutstandingMinor).toBe(-300n);
  });
});

describe('readWindows: coverage', () => {
  const events = [paid('2026-06-01T10:00:00Z', 1n), paid('2026-11-30T10:00:00Z', 1n)];

  it.each([
    ['as of the newest day', '2026-11-30T10:00:00Z', true, true],
    ['as of the day before the newest (the slack day)', '2026-11-29T10:00:00Z', true, true],
    [
      'as of two days before the newest: its 90-day window starts in the carry',
      '2026-11-28T10:00:00Z',
      false,
      true,
    ],
    ['as of a day already in the carry', '2026-08-30T10:00:00Z', false, false],
  ])('%s', (_, asOf, windowsExact, receivablesExact) => {
    expect(profileOf(events, asOf).coverage).toMatchObject({
      windowsExact,
      receivablesExact,
      overflowed: false,
    });
  });

  it('refuses an invalid asOf', () => {
    expect(() => readWindows(foldEvents(events).state!, new Date('nope'))).toThrow(RangeError);
  });
});

describe('readWindows: the one walk back gives every window its own sum', () => {
  const isoDayByDate = (day: number) => new Date(startOfDayMs(day)).toISOString().slice(0, 10);

  /** A window by its definition: every record of its days summed, its days named by Date. */
  function windowByDefinition(
    state: ProfileState,
    windowDays: ProfileWindowDays,
    asOfDay: number,
  ): WindowTotals {
    const fromDay = asOfDay - windowDays + 1;
    const totals = zeroDayCounters();
    let activeDays = 0;
    for (const record of state.days) {
      if (record.day < fromDay || record.day > asOfDay) continue;
      activeDays += 1;
      for (let index = 0; index < DAY_COUNTER_COUNT; index += 1) totals[index]! += record.counters[index]!;
    }
    const total = (name: DayCounterName) => totals[DAY_COUNTER_INDEX[name]]!;
    const count = (name: DayCounterName) => Number(total(name));
    return {
      windowDays,
      fromDay: isoDayByDate(fromDay),
      throughDay: isoDayByDate(asOfDay),
      paidAmountMinor: total('paidAmountMinor'),
      paidOrders: count('paidOrders'),
      refundedAmountMinor: total('refundedAmountMinor'),
      refunds: count('refunds'),
      cancellations: count('cancellations'),
      settledAmountMinor: total('settledAmountMinor'),
      stockouts: count('stockouts'),
      shipmentsDispatched: count('shipmentsDispatched'),
      shipmentsDelivered: count('shipmentsDelivered'),
      shipmentsDeliveredOnTime: count('shipmentsDelivered') - count('shipmentsDeliveredLate'),
      shipmentsDeliveredLate: count('shipmentsDeliveredLate'),
      shipmentsReturned: count('shipmentsReturned'),
      activeDays,
      rates: {
        refundRate: ratioOf(total('refunds'), total('paidOrders')),
        refundAmountRate: ratioOf(total('refundedAmountMinor'), total('paidAmountMinor')),
        cancelRate: ratioOf(total('cancellations'), total('paidOrders') + total('cancellations')),
        onTimeDeliveryRate: ratioOf(
          total('shipmentsDelivered') - total('shipmentsDeliveredLate'),
          total('shipmentsDelivered'),
        ),
        returnRate: ratioOf(total('shipmentsReturned'), total('shipmentsDelivered')),
      },
    };
  }

  const NEWEST_DAY = 20_000;
  const stateArbitrary: fc.Arbitrary<ProfileState> = fc
    .uniqueArray(fc.integer({ min: NEWEST_DAY - 120, max: NEWEST_DAY }), { maxLength: 110 })
    .chain((days) =>
      fc.tuple(
        ...[...days]
          .sort((a, b) => a - b)
          .map((day) =>
            fc
              .array(fc.bigInt({ min: 0n, max: 1_000n }), {
                minLength: DAY_COUNTER_COUNT,
                maxLength: DAY_COUNTER_COUNT,
              })
              .map((counters) => {
                // A delivery is late or on time: never more late ones than deliveries.
                const delivered = counters[DAY_COUNTER_INDEX.shipmentsDelivered]!;
                const late = counters[DAY_COUNTER_INDEX.shipmentsDeliveredLate]!;
                counters[DAY_COUNTER_INDEX.shipmentsDeliveredLate] = late < delivered ? late : delivered;
                return { day, counters };
              }),
          ),
      ),
    )
    .map((records) => ({
      merchantId: 'm-1',
      currency: 'CNY',
      firstSeenMs: startOfDayMs(NEWEST_DAY - 200),
      newestEventMs: startOfDayMs(NEWEST_DAY) + 1_000,
      newestStockEventMs: null,
      days: records,
      carriedTotals: [0n, 0n, 0n],
      warehouses: [],
      stockKeepingUnits: [],
      overflowed: false,
      appliedPositions: noAppliedPositions(),
    }));

  it('sums each window as if it were summed alone, whatever asOf', () => {
    fc.assert(
      fc.property(
        stateArbitrary,
        fc.integer({ min: NEWEST_DAY - 130, max: NEWEST_DAY + 10 }),
        (state, asOfDay) => {
          const profile: MerchantProfile = readWindows(state, new Date(startOfDayMs(asOfDay) + 3_600_000));
          for (const windowDays of PROFILE_WINDOW_DAYS)
            expect(profile.windows[windowDays]).toStrictEqual(windowByDefinition(state, windowDays, asOfDay));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses day records out of order instead of summing them wrongly', () => {
    const state = fc.sample(stateArbitrary, { numRuns: 1, seed: 3 })[0]!;
    const counters = zeroDayCounters();
    const shuffled = {
      ...state,
      days: [
        { day: NEWEST_DAY - 1, counters },
        { day: NEWEST_DAY - 3, counters },
      ],
    };
    expect(() => readWindows(shuffled, new Date(startOfDayMs(NEWEST_DAY)))).toThrow(/not ascending/);
  });

  it('names days exactly as Date does, from year 0 to 9999 and past it', () => {
    const firstDayOfYearZero = Date.parse('0000-01-01T00:00:00.000Z') / DAY_MS;
    const lastDayOfYear9999 = Date.parse('9999-12-31T00:00:00.000Z') / DAY_MS;
    const days = [firstDayOfYearZero - 1, firstDayOfYearZero, lastDayOfYear9999, lastDayOfYear9999 + 1];
    // Every day the 16-bit profile can hold, and then some.
    for (let day = -1_000; day <= 70_000; day += 1) days.push(day);
    const misnamed = days.filter((day) => isoDayOf(day) !== isoDayByDate(day));
    expect(misnamed).toEqual([]);
    fc.assert(
      fc.property(
        fc.integer({ min: -800_000, max: 3_000_000 }),
        (day) => isoDayOf(day) === isoDayByDate(day),
      ),
      { numRuns: 5_000 },
    );
  });
});
