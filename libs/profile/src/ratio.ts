/**
 * A rate as an exact fraction, with its value in basis points for policies that compare
 * against thresholds. Never a float: the fraction is exact, the basis points are rounded
 * down (floor), explicitly.
 */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
  /** floor(numerator × 10 000 / denominator); null when the denominator is 0 (no basis for a rate). */
  readonly basisPoints: number | null;
}

export const BASIS_POINTS_PER_UNIT = 10_000n;

export function ratioOf(numerator: bigint, denominator: bigint): Ratio {
  if (numerator < 0n || denominator < 0n)
    throw new RangeError(`a ratio of counts cannot be negative: ${numerator}/${denominator}`);
  return {
    numerator,
    denominator,
    basisPoints: denominator === 0n ? null : Number((numerator * BASIS_POINTS_PER_UNIT) / denominator),
  };
}
