import fc from 'fast-check';
import { CREDIT_POLICY_V1 } from './default-policy';
import { SCORE_MAX } from './policy';
import { linearPenalty } from './score';
import { assess } from './testing/assess';
import { ProfileFixtureOverrides } from './testing/profile-fixture';

describe('linearPenalty: 0 at a perfect value, the whole weight at the threshold, rounded up', () => {
  it.each<[number, number, number, number]>([
    [200, 0, 1_500, 0],
    [200, 1, 1_500, 1], // 0.13 → 1: rounding never flatters
    [200, 333, 1_500, 45], // 44.4 → 45
    [200, 750, 1_500, 100],
    [200, 1_500, 1_500, 200],
    [200, 9_000, 1_500, 200], // past the threshold: still only the weight
    [100, 5, 0, 100], // a zero threshold: anything costs all
    [100, 0, 0, 0],
  ])('weight %i, value %i, threshold %i → %i', (weight, value, limit, penalty) => {
    expect(linearPenalty(weight, value, limit)).toBe(penalty);
  });
});

describe('the score of v1', () => {
  it('scores the healthy fixture 864 (grade A), penalty by penalty', () => {
    const assessment = assess();
    // refunds 8/240 = 333 bps of 1 500; cancellations 10/250 = 400 of 1 000; late 10/230 = 434 of 2 000; returns 4/230 = 173 of 1 000.
    expect(assessment.scorePenalties).toEqual({
      refundRate: 45,
      cancelRate: 40,
      lateDeliveryRate: 33,
      returnRate: 18,
      stockouts: 0,
      gmvTrend: 0,
      tenure: 0,
    });
    expect(assessment).toMatchObject({ score: 864, grade: 'A', dailyRateBps: 2 });
  });

  it.each<[string, ProfileFixtureOverrides, keyof ReturnType<typeof assess>['scorePenalties'], number]>([
    ['refunds at 15 % costs refundRate 200', { month: { refunds: 36 } }, 'refundRate', 200],
    [
      'late deliveries at 20 % costs lateDeliveryRate 150',
      { month: { shipmentsDeliveredLate: 46 } },
      'lateDeliveryRate',
      150,
    ],
    ['returns at 10 % costs returnRate 100', { month: { shipmentsReturned: 23 } }, 'returnRate', 100],
    [
      '5 stock-outs in 30 days costs stockouts 200',
      { month: { stockouts: 5 }, week: { stockouts: 0 } },
      'stockouts',
      200,
    ],
    [
      '1 stock-out in 30 days costs stockouts 40',
      { month: { stockouts: 1 }, week: { stockouts: 0 } },
      'stockouts',
      40,
    ],
    [
      'GMV down 30 % costs gmvTrend 100',
      { month: { paidAmountMinor: 2_100_000n }, quarter: { paidAmountMinor: 8_100_000n } },
      'gmvTrend',
      100,
    ],
    [
      'GMV down 15 % costs gmvTrend 50',
      { month: { paidAmountMinor: 2_550_000n }, quarter: { paidAmountMinor: 8_550_000n } },
      'gmvTrend',
      50,
    ],
    [
      'GMV up 50 % (growth earns nothing) costs gmvTrend 0',
      { month: { paidAmountMinor: 3_600_000n }, quarter: { paidAmountMinor: 8_400_000n } },
      'gmvTrend',
      0,
    ],
    ['tenure 30 days costs tenure 125', { tenureDays: 30 }, 'tenure', 125],
    ['tenure 179 days costs tenure 1', { tenureDays: 179 }, 'tenure', 1],
    ['tenure 180 days costs tenure 0', { tenureDays: 180 }, 'tenure', 0],
  ])('%s', (_case, overrides, factor, penalty) => {
    expect(assess(overrides).scorePenalties[factor]).toBe(penalty);
  });

  it("at (or just past) every eligibility threshold at once, each factor costs its whole weight: only the tenure's 150 are left", () => {
    const assessment = assess({
      tenureDays: 400,
      month: {
        refunds: 36,
        paidOrders: 240,
        cancellations: 27,
        shipmentsDeliveredLate: 46,
        shipmentsReturned: 23,
        stockouts: 5,
        paidAmountMinor: 2_100_000n,
      },
      week: { stockouts: 0, refunds: 0 },
      quarter: { paidAmountMinor: 8_100_000n },
    });
    const { tenure, tenureMatureDays: _mature, ...others } = CREDIT_POLICY_V1.score;
    expect(assessment.scorePenalties).toEqual({ ...others, tenure: 0 });
    expect(assessment.score).toBe(tenure);
    expect(assessment.grade).toBe('E');
  });

  const monthArbitrary = fc.record({
    paidOrders: fc.integer({ min: 0, max: 5_000 }),
    refunds: fc.integer({ min: 0, max: 5_000 }),
    cancellations: fc.integer({ min: 0, max: 5_000 }),
    shipmentsDelivered: fc.integer({ min: 0, max: 5_000 }),
    stockouts: fc.integer({ min: 0, max: 50 }),
  });

  it('is always a whole number in 0..1 000, whatever the profile', () => {
    fc.assert(
      fc.property(
        monthArbitrary,
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        (month, tenureDays, late) => {
          const delivered = month.shipmentsDelivered;
          const { score } = assess({
            tenureDays,
            month: {
              ...month,
              shipmentsDeliveredLate: Math.min(late, delivered),
              shipmentsReturned: Math.min(late, delivered),
            },
            week: { refunds: 0, stockouts: 0 },
          });
          expect(Number.isSafeInteger(score) && score >= 0 && score <= SCORE_MAX).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never rises with more refunds, more late deliveries or more stock-outs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('refunds', 'shipmentsDeliveredLate', 'stockouts'),
        (base, extra, field) => {
          const scoreWith = (value: number) =>
            assess({ month: { [field]: value }, week: { refunds: 0, stockouts: 0 } }).score;
          expect(scoreWith(base + extra)).toBeLessThanOrEqual(scoreWith(base));
        },
      ),
      { numRuns: 200 },
    );
  });
});
