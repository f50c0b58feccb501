import { ProfileInputEvent } from '@lendstream/contracts';
import { readWindows } from './read-windows';
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
