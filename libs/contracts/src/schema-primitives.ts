import { z } from 'zod';
import { DeadLetterReason } from './dead-letter-reason';
import { parseAmountMinor } from './money';

/**
 * Building blocks of the event schemas. Each carries its limits (STYLE.md: a limit on
 * everything), so an absurd value is refused at the edge instead of travelling inward.
 */

// The patterns and limits are exported for the hand-written checks of the hot path
// (primitive-checks.ts), which must accept exactly what these schemas accept.

/** Merchant ids end up inside Redis hash tags (`{m-42}`), so braces and spaces are refused. */
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const MerchantId = z
  .string()
  .regex(MERCHANT_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -');

export const IDENTIFIER_LENGTH_MAX = 128;
/** Business identifiers from the platform (order, shipment, warehouse, SKU, settlement…). */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(IDENTIFIER_LENGTH_MAX, `must be at most ${IDENTIFIER_LENGTH_MAX} characters`);

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** ISO 4217 alphabetic code. */
export const Currency = z.string().regex(CURRENCY_PATTERN, 'must be an ISO 4217 code such as CNY');

export const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp with a zone; kept as the producer's string, checked to parse. */
export const Timestamp = z
  .string()
  .regex(RFC3339_PATTERN, 'must be an RFC 3339 timestamp such as 2026-11-11T00:00:03.120Z')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a real date');

/**
 * Money amount: a digit string or a safe JSON integer on the wire, a bigint in code. Its
 * failures carry their own dead-letter reason so operators can tell bad money from bad shape.
 */
export const AMOUNT_STRING_LENGTH_MAX = 64;
export const AmountMinor = z
  .union([z.string().max(AMOUNT_STRING_LENGTH_MAX), z.number()])
  .transform((raw, ctx) => {
    const parsed = parseAmountMinor(raw);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({
      code: 'custom',
      message: `amount ${parsed.error}`,
      params: { reason: DeadLetterReason.INVALID_AMOUNT },
    });
    return z.NEVER;
  });

/** Counts that are not money (units on hand): a non-negative safe integer. */
export const Count = z
  .number()
  .int('must be an integer')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER);

/** Daily rates in basis points of the principal. */
export const BasisPoints = z.number().int().min(0).max(10_000);
