import { scaleByBasisPoints } from './money';

describe('scaleByBasisPoints', () => {
  it.each([
    [10_000n, 10_000, 10_000n],
    [10_000n, 2_500, 2_500n],
    [10_001n, 5_000, 5_000n], // 5000.5 rounds down
    [9_999n, 1, 0n], // 0.9999 rounds down
    [1n, 9_999, 0n],
    [0n, 5_000, 0n],
    [12_345n, 18_000, 22_221n], // an uplift above 100 %: 22221.0 exactly
    [2n ** 62n, 10_000, 2n ** 62n], // no float anywhere: exact at any size
  ])('%p × %p bp = %p', (amount, basisPoints, expected) => {
    expect(scaleByBasisPoints(amount, basisPoints)).toBe(expected);
  });

  it.each([
    [-1n, 100],
    [100n, -1],
    [100n, 1.5],
    [100n, Number.NaN],
  ])('refuses %p × %p bp', (amount, basisPoints) => {
    expect(() => scaleByBasisPoints(amount, basisPoints)).toThrow(RangeError);
  });
});
