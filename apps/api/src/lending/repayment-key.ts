import { createHash } from 'node:crypto';

/**
 * The manual repayment's idempotency key as lending stores it (its repayment id is derived
 * from the loan and this key): the caller's Idempotency-Key scoped by the caller, as the API's
 * own key store scopes it. So two callers who happen to pick the same key for the same loan and
 * amount make two repayments, as they meant to, instead of the second being taken for a retry
 * of the first and its money left unapplied. A SHA-256, so that any subject and key (up to 255
 * characters each) fit lending's 255.
 */
export const repaymentKeyOf = (subject: string, idempotencyKey: string): string =>
  `sha256:${createHash('sha256')
    .update(JSON.stringify([subject, idempotencyKey]))
    .digest('hex')}`;
