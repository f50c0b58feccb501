import { CREDIT_POLICY_V1 } from './default-policy';
import { CreditPolicy, gradeBandFor } from './policy';
import { ProfileMetrics } from './profile-metrics';
import { offerAtGrade, sizeLine } from './sizing';

const MAX_INT64 = 2n ** 63n - 1n;
const policy = CREDIT_POLICY_V1;
const metrics = (
  receivablesOutstandingMinor: bigint,
  inventoryValueMinor: bigint,
  netGmvIn30DaysMinor: bigint,
) => ({ receivablesOutstandingMinor, inventoryValueMinor, netGmvIn30DaysMinor }) as ProfileMetrics;
const gradeA = gradeBandFor(1_000, policy);
const gradeD = gradeBandFor(400, policy);

describe('sizeLine: receivables × 80 % + inventory × 35 %, capped by 1× 30-day net GMV', () => {
  it.each<[string, bigint, bigint, bigint, bigint, bigint, bigint]>([
    // case, receivables, inventory, net GMV → receivables advance, inventory advance, before grade cap
    ['borrowing base binds', 2_000_000n, 3_000_000n, 3_480_000n, 1_600_000n, 1_050_000n, 2_650_000n],
    ['GMV cap binds', 2_000_000n, 3_000_000n, 1_000_000n, 1_600_000n, 1_050_000n, 1_000_000n],
    ['each share floors on its own', 9n, 9n, 100n, 7n, 3n, 10n], // 7.2 → 7, 3.15 → 3
    ['nothing to lend against', 0n, 0n, 5_000_000n, 0n, 0n, 0n],
    ['no trading, no line', 5_000_000n, 5_000_000n, 0n, 4_000_000n, 1_750_000n, 0n],
    [
      'amounts near 2^63',
      MAX_INT64,
      MAX_INT64,
      MAX_INT64,
      7_378_697_629_483_820_645n,
      3_228_180_212_899_171_532n,
      MAX_INT64,
    ],
  ])('%s', (_case, receivables, inventory, netGmv, receivablesAdvance, inventoryAdvance, beforeGradeCap) => {
    const sizing = sizeLine(metrics(receivables, inventory, netGmv), policy, 'CNY');
    expect(sizing).toMatchObject({
      receivablesAdvanceMinor: receivablesAdvance,
      inventoryAdvanceMinor: inventoryAdvance,
      borrowingBaseMinor: receivablesAdvance + inventoryAdvance,
      gmvCapMinor: netGmv,
      beforeGradeCapMinor: beforeGradeCap,
    });
  });

  it('applies the GMV multiple in basis points, rounded down', () => {
    const oneAndAHalf: CreditPolicy = {
      ...policy,
      sizing: { ...policy.sizing, netGmvIn30DaysMultipleBps: 15_000 },
    };
    expect(sizeLine(metrics(0n, 0n, 3n), oneAndAHalf, 'CNY').gmvCapMinor).toBe(4n); // 4.5 → 4
    expect(sizeLine(metrics(0n, 0n, MAX_INT64), oneAndAHalf, 'CNY').gmvCapMinor).toBe(
      13_835_058_055_282_163_710n,
    );
  });
});

describe('offerAtGrade: the grade caps, the limit rounds down to whole steps', () => {
  it.each<[string, bigint, bigint, bigint, typeof gradeA, bigint, string]>([
    [
      'limit from the borrowing base, in whole 100-yuan steps',
      2_000_000n,
      3_000_000n,
      9_000_000n,
      gradeA,
      2_650_000n,
      'LIMIT_BY_BORROWING_BASE',
    ],
    ['a step just short is dropped', 1_249_999n, 0n, 9_000_000n, gradeA, 990_000n, 'LIMIT_BY_BORROWING_BASE'], // 999 999.2 → 999 999 → 990 000
    ['GMV cap binds', 2_000_000n, 3_000_000n, 1_234_567n, gradeA, 1_230_000n, 'LIMIT_CAPPED_BY_GMV'],
    [
      'grade D caps at 50 000 yuan',
      100_000_000n,
      0n,
      100_000_000n,
      gradeD,
      5_000_000n,
      'LIMIT_CAPPED_BY_GRADE',
    ],
    [
      'huge merchant, grade A cap',
      MAX_INT64,
      MAX_INT64,
      MAX_INT64,
      gradeA,
      100_000_000n,
      'LIMIT_CAPPED_BY_GRADE',
    ],
    ['no borrowing base', 0n, 0n, 9_000_000n, gradeA, 0n, 'NO_BORROWING_BASE'],
  ])('%s', (_case, receivables, inventory, netGmv, band, limit, code) => {
    const offer = offerAtGrade(
      sizeLine(metrics(receivables, inventory, netGmv), policy, 'CNY'),
      band,
      policy,
    );
    expect(offer.limitMinor).toBe(limit);
    expect(offer.limitReason.code).toBe(code);
    expect(offer).toMatchObject({ grade: band.grade, dailyRateBps: band.dailyRateBps });
  });

  it("uses the currency's own cap and step", () => {
    const offer = offerAtGrade(
      sizeLine(metrics(100_000_000n, 0n, 100_000_000n), policy, 'USD'),
      gradeD,
      policy,
    );
    expect(offer.limitMinor).toBe(750_000n);
  });
});
