import { measureProfile } from './profile-metrics';
import { FIXTURE_AS_OF, profileFixture, ProfileFixtureOverrides } from './testing/profile-fixture';

const measure = (overrides: ProfileFixtureOverrides = {}, now = FIXTURE_AS_OF) =>
  measureProfile(profileFixture(overrides), { now, trendPriorDaysMin: 14, spikeBaselineDaysMin: 14 });

describe('GMV trend: the last 30 days against days 31-90, per day the merchant traded through', () => {
  it.each<[number, number | null]>([
    [400, 60],
    [89, 60],
    [60, 31],
    [43, 14],
    [42, null], // 13 days of prior period: too few to judge
    [29, null],
  ])('tenure %i days → %p prior days', (tenureDays, priorDays) => {
    expect(measure({ tenureDays }).gmvTrend?.baselineDays ?? null).toBe(priorDays);
  });

  it('normalises the prior period by the days traded, so a young merchant does not look like it grew', () => {
    // 3.6 M in the last 30 days, 1.8 M in the 16 days before that (tenure 45): about flat, not 4×.
    const trend = measure({ tenureDays: 45, quarter: { paidAmountMinor: 5_400_000n } }).gmvTrend!;
    expect(trend).toEqual({
      recentMinor: 3_600_000n,
      recentDays: 30,
      baselineMinor: 1_800_000n,
      baselineDays: 16,
      ratioBps: 10_666,
    });
  });

  it('has no ratio over a prior period with no sales', () => {
    expect(measure({ quarter: { paidAmountMinor: 3_600_000n } }).gmvTrend?.ratioBps).toBeNull();
  });
});

describe('GMV spike: the last 7 days against days 8-90', () => {
  it('is flat for a steady merchant', () => {
    expect(measure().gmvSpike).toMatchObject({ recentDays: 7, baselineDays: 83, ratioBps: 10_000 });
  });
});

describe('other metrics', () => {
  it.each<[string, ProfileFixtureOverrides, string, number]>([
    ['quiet days count to now', { quietDays: 5 }, FIXTURE_AS_OF, 5],
    ['less than a whole day is 0', { quietDays: 0 }, '2026-11-30T23:59:59.999Z', 0],
    ['a newest event after now is 0, not negative', { quietDays: 0 }, '2026-11-29T00:00:00.000Z', 0],
    ['a sweep 61 days after the newest event', { quietDays: 0 }, '2027-01-30T12:00:00.000Z', 61],
  ])('silence: %s', (_case, overrides, now, silenceDays) => {
    expect(measure(overrides, now).silenceDays).toBe(silenceDays);
  });

  it('counts late deliveries directly (not 1 − on-time, whose floored basis points would round the wrong way)', () => {
    expect(measure({ month: { shipmentsDelivered: 3, shipmentsDeliveredLate: 1 } }).lateDeliveryRate).toEqual(
      { numerator: 1n, denominator: 3n, rateBps: 3_333 },
    );
  });

  it('clamps a negative receivable and net GMV at 0', () => {
    const metrics = measure({
      receivablesOutstandingMinor: -5_000n,
      month: { refundedAmountMinor: 4_000_000n },
    });
    expect(metrics.receivablesOutstandingMinor).toBe(0n);
    expect(metrics.netGmvIn30DaysMinor).toBe(0n);
  });

  it('measures tenure in whole days from the first event', () => {
    expect(measure({ tenureDays: 30 }).tenureDays).toBe(30);
  });

  it('refuses windows that are not nested, and a bad timestamp', () => {
    expect(() => measure({ week: { paidAmountMinor: 9_000_000n } })).toThrow('not nested');
    expect(() => measure({}, 'yesterday')).toThrow('now is not a timestamp');
  });
});
