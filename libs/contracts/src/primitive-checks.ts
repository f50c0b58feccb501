import { amountMinorOrUndefined } from './money';
import { isCanonicalUtcTimestamp } from './timestamp';
import {
  AMOUNT_STRING_LENGTH_MAX,
  CURRENCY_PATTERN,
  IDENTIFIER_LENGTH_MAX,
  MERCHANT_ID_PATTERN,
  RFC3339_PATTERN,
} from './schema-primitives';

/**
 * Hand-written twins of the zod primitives in schema-primitives.ts, for the hot path of
 * decoding: each accepts exactly what its schema accepts (primitive-checks.spec.ts holds
 * them to it with generated inputs) and allocates nothing. They only say yes or no; why a
 * value is refused is always the schema's answer, so the error messages have one source.
 */

/** MerchantId. */
export const isMerchantId = (value: unknown): value is string =>
  typeof value === 'string' && MERCHANT_ID_PATTERN.test(value);

/** Identifier. */
export const isIdentifier = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= IDENTIFIER_LENGTH_MAX;

/** Currency. */
export const isCurrency = (value: unknown): value is string =>
  typeof value === 'string' && CURRENCY_PATTERN.test(value);

/** Timestamp (the canonical form matches the pattern and is a real date; anything else is checked as the schema does). */
export const isTimestamp = (value: unknown): value is string =>
  typeof value === 'string' &&
  (isCanonicalUtcTimestamp(value) || (RFC3339_PATTERN.test(value) && !Number.isNaN(Date.parse(value))));

/** Count (a safe integer is finite and whole; -0 passes, as it passes the schema's min(0)). */
export const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** AmountMinor's output (a bigint), or undefined when the schema refuses the value. */
export const amountFieldOrUndefined = (value: unknown): bigint | undefined =>
  typeof value === 'string' && value.length > AMOUNT_STRING_LENGTH_MAX
    ? undefined
    : amountMinorOrUndefined(value);
