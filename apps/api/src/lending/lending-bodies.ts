import { z } from 'zod';
import { AMOUNT_STRING_LENGTH_MAX, CURRENCY_PATTERN, parseAmountMinor } from '@lendstream/contracts';
import { TERM_DAYS_CONTRACT_MAX } from '@lendstream/lending';

/**
 * What the lending routes accept, checked field by field: a 400 that names the field (the
 * shape). Whether the line or the loan allows it is a business rule, answered with a 422 and
 * the lending core's reason code.
 */

const required = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required: ${what}` : `must be ${what}`;

const AMOUNT = 'minor units as a string of digits (or a safe JSON integer), e.g. "150000"';

/** A positive amount of minor units: a string of digits or a safe JSON integer, never a float. */
export const PositiveAmountMinor = z
  .union([z.string().max(AMOUNT_STRING_LENGTH_MAX), z.number()], { error: required(AMOUNT) })
  .transform((raw, ctx) => {
    const parsed = parseAmountMinor(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `must be ${AMOUNT}: the amount ${parsed.error}` });
      return z.NEVER;
    }
    if (parsed.value === 0n) {
      ctx.addIssue({ code: 'custom', message: 'must be more than 0' });
      return z.NEVER;
    }
    return parsed.value;
  })
  .describe('Minor units (fen, cents) as a string of digits; more than 0');

const CurrencyCode = z
  .string({ error: required('an ISO 4217 code such as CNY') })
  .regex(CURRENCY_PATTERN, 'must be an ISO 4217 code such as CNY')
  .describe("ISO 4217; the line's currency");

const TERM = `a whole number of days from 1 to ${TERM_DAYS_CONTRACT_MAX}`;
const TermDays = z
  .number({ error: required(TERM) })
  .int(`must be ${TERM}`)
  .min(1, `must be ${TERM}`)
  .max(TERM_DAYS_CONTRACT_MAX, `must be ${TERM}`)
  .describe('The term from the day treasury pays out; the lending policy takes 7 to 180 (outside: a 422)');

/** `POST /v1/merchants/{merchantId}/drawdowns`. */
export const DrawdownBody = z.strictObject(
  { amountMinor: PositiveAmountMinor, currency: CurrencyCode, termDays: TermDays },
  { error: 'must be a JSON object such as {"amountMinor": "150000", "currency": "CNY", "termDays": 30}' },
);
export type DrawdownBody = z.output<typeof DrawdownBody>;

/** `POST /v1/loans/{loanId}/repayments`: money the merchant paid back by hand. */
export const RepaymentBody = z.strictObject(
  { amountMinor: PositiveAmountMinor, currency: CurrencyCode },
  { error: 'must be a JSON object such as {"amountMinor": "50000", "currency": "CNY"}' },
);
export type RepaymentBody = z.output<typeof RepaymentBody>;

const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A loan id in a path: the UUID a drawdown answered with (stored lower case). */
export const LoanId = z
  .string()
  .regex(UUID_PATTERN, 'must be a loan id (a UUID such as 2be3f278-0961-81de-8131-b8b6bbc316a5)')
  .transform((id) => id.toLowerCase());
