/**
 * Integer arithmetic for money (bigint minor units) and rates (basis points). Nothing here
 * touches a float: every division says which way it rounds, and it is always down (floor)
 * for money the platform lends, and up (ceiling) for penalties that lower a score, so that
 * rounding never works in the borrower's favour against the portfolio.
 */
export const BASIS_POINTS_PER_UNIT = 10_000;
const BASIS_POINTS_PER_UNIT_BIG = 10_000n;

/** floor(amount × rateBps / 10 000) for a non-negative amount: the share of money a rate allows. */
export function applyBasisPointsFloor(amountMinor: bigint, rateBps: number): bigint {
  if (amountMinor < 0n) throw new RangeError(`cannot take a share of a negative amount: ${amountMinor}`);
  assertWholeBasisPoints(rateBps);
  return (amountMinor * BigInt(rateBps)) / BASIS_POINTS_PER_UNIT_BIG;
}

/** floor(numerator × 10 000 / denominator); null when the denominator is 0 (no basis for a rate). */
export function basisPointsFloor(numerator: bigint, denominator: bigint): number | null {
  if (numerator < 0n || denominator < 0n)
    throw new RangeError(`a rate of counts cannot be negative: ${numerator}/${denominator}`);
  if (denominator === 0n) return null;
  return Number((numerator * BASIS_POINTS_PER_UNIT_BIG) / denominator);
}

/**
 * numerator / denominator > limitBps / 10 000, compared exactly (cross-multiplied), so a rate
 * a hair above its limit is never rounded down onto it. A zero denominator is never above.
 */
export function fractionExceedsBasisPoints(
  numerator: bigint,
  denominator: bigint,
  limitBps: number,
): boolean {
  if (denominator === 0n) return false;
  return numerator * BASIS_POINTS_PER_UNIT_BIG > BigInt(limitBps) * denominator;
}

/** numerator / denominator >= limitBps / 10 000, exactly. A zero denominator is never at or above. */
export function fractionReachesBasisPoints(
  numerator: bigint,
  denominator: bigint,
  limitBps: number,
): boolean {
  if (denominator === 0n) return false;
  return numerator * BASIS_POINTS_PER_UNIT_BIG >= BigInt(limitBps) * denominator;
}

/** ceil(numerator / denominator) for non-negative safe integers. */
export function ceilDivide(numerator: number, denominator: number): number {
  if (
    !Number.isSafeInteger(numerator) ||
    !Number.isSafeInteger(denominator) ||
    numerator < 0 ||
    denominator <= 0
  ) {
    throw new RangeError(`ceilDivide needs whole numbers, got ${numerator}/${denominator}`);
  }
  return Math.floor((numerator + denominator - 1) / denominator);
}

export const minOf = (first: bigint, ...rest: bigint[]): bigint =>
  rest.reduce((min, value) => (value < min ? value : min), first);
export const maxOf = (first: bigint, ...rest: bigint[]): bigint =>
  rest.reduce((max, value) => (value > max ? value : max), first);

/** floor(amount / step) × step: a limit in whole steps (e.g. whole hundreds of yuan). */
export function floorToStep(amountMinor: bigint, stepMinor: bigint): bigint {
  if (stepMinor <= 0n) throw new RangeError(`a rounding step must be positive: ${stepMinor}`);
  if (amountMinor < 0n) throw new RangeError(`cannot round a negative amount: ${amountMinor}`);
  return (amountMinor / stepMinor) * stepMinor;
}

export function assertWholeBasisPoints(rateBps: number): void {
  if (!Number.isSafeInteger(rateBps) || rateBps < 0)
    throw new RangeError(`basis points must be a whole number >= 0: ${rateBps}`);
}

/** `1234` bps → `"12.34%"`: for messages people read, never for arithmetic. */
export function formatBasisPoints(rateBps: number): string {
  const whole = Math.floor(rateBps / 100);
  const hundredths = rateBps % 100;
  return `${whole}.${hundredths.toString().padStart(2, '0')}%`;
}

/** `250000n, 'CNY'` → `"250000 minor CNY"`: minor units stated, since currencies differ in decimals. */
export const formatMinor = (amountMinor: bigint, currency: string): string =>
  `${amountMinor} minor ${currency}`;
