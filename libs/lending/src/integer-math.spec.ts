import fc from 'fast-check';
import { roundHalfUpDivide, shareFloor } from './integer-math';

describe('roundHalfUpDivide', () => {
  it.each<[bigint, bigint, bigint]>([
    [0n, 10_000n, 0n],
    [4_999n, 10_000n, 0n],
    [5_000n, 10_000n, 1n], // a half rounds up
    [5_001n, 10_000n, 1n],
    [14_999n, 10_000n, 1n],
    [15_000n, 10_000n, 2n],
    [25_000n, 10_000n, 3n], // half up, not half to even
    [7n, 1n, 7n],
  ])('%s / %s rounds to %s', (numerator, denominator, rounded) => {
    expect(roundHalfUpDivide(numerator, denominator)).toBe(rounded);
  });

  it('is never more than half a unit from the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const rounded = roundHalfUpDivide(n, d);
          const distance = 2n * (rounded * d - n); // 2 × (rounded − exact) × d
          expect(distance).toBeGreaterThan(-d); // strictly less than half below
          expect(distance).toBeLessThanOrEqual(d); // ≤ d: at most half above (a half rounds up)
        },
      ),
    );
  });

  it.each<[bigint, bigint, string]>([
    [-1n, 10n, 'numerator >= 0'],
    [1n, 0n, 'denominator > 0'],
  ])('refuses %s / %s', (numerator, denominator, message) => {
    expect(() => roundHalfUpDivide(numerator, denominator)).toThrow(message);
  });
});

describe('shareFloor', () => {
  it.each<[bigint, number, bigint]>([
    [100_000n, 2_000, 20_000n],
    [99_999n, 2_000, 19_999n], // 19 999.8 rounds down
    [4n, 2_000, 0n], // 0.8 rounds down to nothing
    [5n, 2_000, 1n],
    [123n, 10_000, 123n],
    [123n, 0, 0n],
  ])('%s at %i bps is %s', (amount, shareBps, share) => {
    expect(shareFloor(amount, shareBps)).toBe(share);
  });

  it.each<[bigint, number]>([
    [-1n, 2_000],
    [1n, -1],
    [1n, 10_001],
    [1n, 1.5],
  ])('refuses %s at %s bps', (amount, shareBps) => {
    expect(() => shareFloor(amount, shareBps)).toThrow(RangeError);
  });
});
