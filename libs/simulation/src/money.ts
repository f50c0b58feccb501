/**
 * Money in the simulator is integer minor units (`bigint`), as everywhere in Lendstream.
 * A share of an amount is taken in basis points with integer arithmetic, rounding down, so
 * a refund or a cost computed from an amount can never exceed what the rate says.
 */

export const BASIS_POINTS_WHOLE = 10_000;

/** `amountMinor × basisPoints / 10 000`, rounded down (toward zero; amounts are never negative). */
export function scaleByBasisPoints(amountMinor: bigint, basisPoints: number): bigint {
  if (amountMinor < 0n) throw new RangeError(`amount must not be negative, got ${amountMinor}`);
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) {
    throw new RangeError(`basis points must be a non-negative integer, got ${basisPoints}`);
  }
  return (amountMinor * BigInt(basisPoints)) / BigInt(BASIS_POINTS_WHOLE);
}
