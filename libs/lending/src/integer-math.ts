/**
 * The only divisions lending does, each with its rounding named. Money is bigint minor units
 * and rates are whole basis points; nothing here touches a float.
 */
export const BASIS_POINTS_PER_UNIT = 10_000n;

/**
 * round-half-up(numerator / denominator) for numerator >= 0, denominator > 0: the nearest
 * integer, halves rounded up (2.5 → 3). Used for interest, where the exact figure is known
 * and the posted one must stay within half a minor unit of it.
 */
export function roundHalfUpDivide(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n) throw new RangeError(`roundHalfUpDivide needs a numerator >= 0, got ${numerator}`);
  if (denominator <= 0n)
    throw new RangeError(`roundHalfUpDivide needs a denominator > 0, got ${denominator}`);
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * floor(amount × shareBps / 10 000): a share of an amount, rounded down, so a holdback never
 * takes more than its share of a settlement.
 */
export function shareFloor(amountMinor: bigint, shareBps: number): bigint {
  if (amountMinor < 0n) throw new RangeError(`cannot take a share of a negative amount: ${amountMinor}`);
  assertBasisPoints('share', shareBps, 10_000);
  return (amountMinor * BigInt(shareBps)) / BASIS_POINTS_PER_UNIT;
}

export function assertBasisPoints(label: string, bps: number, max: number): void {
  if (!Number.isSafeInteger(bps) || bps < 0 || bps > max)
    throw new RangeError(`${label} must be a whole number of basis points in 0..${max}, got ${bps}`);
}

export const minOf = (first: bigint, second: bigint): bigint => (second < first ? second : first);

export const sumOf = (values: readonly bigint[]): bigint =>
  values.reduce((total, value) => total + value, 0n);

/** `250000n, 'CNY'` → `"250000 minor CNY"`: minor units said out loud, since currencies differ in decimals. */
export const formatMinor = (amountMinor: bigint, currency: string): string =>
  `${amountMinor} minor ${currency}`;
