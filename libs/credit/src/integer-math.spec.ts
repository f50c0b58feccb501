import {
  applyBasisPointsFloor,
  basisPointsFloor,
  ceilDivide,
  floorToStep,
  formatBasisPoints,
  fractionExceedsBasisPoints,
  fractionReachesBasisPoints,
} from './integer-math';

const MAX_INT64 = 2n ** 63n - 1n;

describe('applyBasisPointsFloor: a share of money, rounded down', () => {
  it.each<[bigint, number, bigint]>([
    [10_000n, 8_000, 8_000n],
    [9_999n, 8_000, 7_999n], // 7 999.2 → 7 999
    [1n, 9_999, 0n], // 0.9999 → 0
    [3n, 3_333, 0n],
    [3n, 3_334, 1n], // 1.0002 → 1
    [0n, 10_000, 0n],
    [123n, 0, 0n],
    [MAX_INT64, 10_000, MAX_INT64],
    [MAX_INT64, 8_000, 7_378_697_629_483_820_645n], // floor((2^63 − 1) × 0.8), no overflow in bigint
    [MAX_INT64, 15_000, 13_835_058_055_282_163_710n], // above 2^63: bigint, not a wrapped int64
  ])('%p × %i bps = %p', (amount, rateBps, expected) => {
    expect(applyBasisPointsFloor(amount, rateBps)).toBe(expected);
  });

  it('refuses a negative amount and a fractional rate', () => {
    expect(() => applyBasisPointsFloor(-1n, 1)).toThrow(RangeError);
    expect(() => applyBasisPointsFloor(1n, 0.5)).toThrow(RangeError);
  });
});

describe('exact rate comparisons (no rounding onto the threshold)', () => {
  it.each<[bigint, bigint, number, boolean, boolean]>([
    // numerator, denominator, limit bps, exceeds, reaches
    [15n, 100n, 1_500, false, true], // exactly at
    [1_501n, 10_000n, 1_500, true, true],
    [150_001n, 1_000_000n, 1_500, true, true], // 15.0001 %: floored bps would say 1 500, the fraction says above
    [149_999n, 1_000_000n, 1_500, false, false],
    [0n, 0n, 0, false, false], // no denominator: never above, never at
    [1n, 1n, 10_000, false, true],
  ])('%p/%p vs %i bps: exceeds %p, reaches %p', (numerator, denominator, limitBps, exceeds, reaches) => {
    expect(fractionExceedsBasisPoints(numerator, denominator, limitBps)).toBe(exceeds);
    expect(fractionReachesBasisPoints(numerator, denominator, limitBps)).toBe(reaches);
  });

  it('floors basis points for display, null without a denominator', () => {
    expect(basisPointsFloor(150_001n, 1_000_000n)).toBe(1_500);
    expect(basisPointsFloor(2n, 3n)).toBe(6_666);
    expect(basisPointsFloor(5n, 0n)).toBeNull();
  });
});

describe('other integer helpers', () => {
  it.each<[number, number, number]>([
    [0, 7, 0],
    [1, 7, 1],
    [7, 7, 1],
    [8, 7, 2],
    [200 * 499, 1_500, 67], // 66.53 → 67
  ])('ceilDivide(%i, %i) = %i', (numerator, denominator, expected) => {
    expect(ceilDivide(numerator, denominator)).toBe(expected);
  });

  it.each<[bigint, bigint, bigint]>([
    [2_659_999n, 10_000n, 2_650_000n],
    [2_650_000n, 10_000n, 2_650_000n],
    [9_999n, 10_000n, 0n],
    [MAX_INT64, 10_000n, 9_223_372_036_854_770_000n],
  ])('floorToStep(%p, %p) = %p', (amount, step, expected) => {
    expect(floorToStep(amount, step)).toBe(expected);
  });

  it.each([
    [0, '0.00%'],
    [5, '0.05%'],
    [1_500, '15.00%'],
    [12_345, '123.45%'],
  ])('formats %i bps as %s', (bps, text) => {
    expect(formatBasisPoints(bps)).toBe(text);
  });
});
