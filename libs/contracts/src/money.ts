import { err, ok, Result } from './result';

/**
 * Money on the wire is `amountMinor`: a string of decimal digits (integer minor units), or a
 * JSON integer when it is a safe integer. In code it is always a `bigint`, never a float.
 */
export const MAX_AMOUNT_MINOR = 2n ** 63n - 1n; // fits a Postgres bigint column

const DIGITS = /^[0-9]+$/;
const MAX_DIGITS = 19; // 2^63 - 1 has 19 digits; longer strings are rejected before BigInt()

/** Parses an amount from the wire; the error message says exactly what is wrong with it. */
export function parseAmountMinor(raw: unknown): Result<bigint, string> {
  if (typeof raw === 'number') {
    if (Number.isNaN(raw)) return err('is NaN');
    if (!Number.isFinite(raw)) return err('is not finite');
    if (!Number.isInteger(raw)) return err('is fractional; amounts are integer minor units');
    if (raw < 0) return err('is negative');
    if (!Number.isSafeInteger(raw)) return err('is a JSON number beyond 2^53; send it as a string of digits');
    return ok(BigInt(raw));
  }
  if (typeof raw !== 'string')
    return err(`must be a string of digits, got ${raw === null ? 'null' : typeof raw}`);
  if (DIGITS.test(raw)) {
    const significant = raw.replace(/^0+(?=[0-9])/, '');
    if (significant.length > MAX_DIGITS) return err('exceeds 2^63 - 1');
    const value = BigInt(significant);
    if (value > MAX_AMOUNT_MINOR) return err('exceeds 2^63 - 1');
    return ok(value);
  }
  if (raw.length === 0) return err('is empty');
  if (raw.startsWith('-')) return err('is negative');
  if (/^[+-]?(nan|infinity)$/i.test(raw)) return err('is not a number');
  if (/^[+-]?[0-9]*\.?[0-9]+[eE][+-]?[0-9]+$/.test(raw))
    return err('is exponent-formatted; send plain digits');
  if (/^[+-]?[0-9]*\.[0-9]*$/.test(raw)) return err('is fractional; amounts are integer minor units');
  return err('must be a string of decimal digits');
}

/**
 * The same answer as parseAmountMinor, without the message: the amount, or undefined when
 * parseAmountMinor refuses it. For the hot path of decoding, where almost every amount is a
 * short digit string; anything unusual (leading zeros past 19 digits) takes the full parser.
 */
export function amountMinorOrUndefined(raw: unknown): bigint | undefined {
  // Safe integers imply finite, whole and not NaN: exactly parseAmountMinor's checks (-0 included).
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? BigInt(raw) : undefined;
  if (typeof raw !== 'string' || raw.length === 0) return undefined;
  if (raw.length > MAX_DIGITS) {
    const parsed = parseAmountMinor(raw);
    return parsed.ok ? parsed.value : undefined;
  }
  for (let index = 0; index < raw.length; index += 1) {
    const code = raw.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  const value = BigInt(raw);
  return value <= MAX_AMOUNT_MINOR ? value : undefined;
}

/** The wire form of an amount: always a string, so no JSON parser can round it. */
export const formatAmountMinor = (amount: bigint): string => {
  if (amount < 0n || amount > MAX_AMOUNT_MINOR) throw new RangeError(`amount out of range: ${amount}`);
  return amount.toString();
};
