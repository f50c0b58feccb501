import { err, ok, parseAmountMinor, Result } from '@lendstream/contracts';
import { TERM_DAYS_CONTRACT_MAX } from './lending-policy';

/**
 * Field-level checks of a request body (the REST API answers 400 naming the field). They check
 * shape only; whether the line can lend it is a business rule (assessDrawdown, a 422).
 */
export interface FieldError {
  /** The offending field, or `(body)` when the body itself is not an object. */
  readonly field: string;
  readonly message: string;
}

export interface DrawdownRequest {
  readonly amountMinor: bigint;
  /** ISO 4217. */
  readonly currency: string;
  readonly termDays: number;
}

export interface RepaymentRequest {
  readonly amountMinor: bigint;
  readonly currency: string;
}

const fieldError = (field: string, message: string): Result<never, FieldError> => err({ field, message });

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** The body as an object with exactly the allowed fields: a misspelt field is named, not ignored. */
function bodyFields(body: unknown, allowed: readonly string[]): Result<Record<string, unknown>, FieldError> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fieldError('(body)', `must be a JSON object with ${allowed.join(', ')}, got ${describe(body)}`);
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((name) => !allowed.includes(name));
  if (unknown !== undefined)
    return fieldError(unknown, `is not a field of this request (expected ${allowed.join(', ')})`);
  const missing = allowed.find((name) => fields[name] === undefined);
  if (missing !== undefined) return fieldError(missing, 'is required');
  return ok(fields);
}

function positiveAmount(raw: unknown): Result<bigint, FieldError> {
  const parsed = parseAmountMinor(raw);
  if (!parsed.ok) return fieldError('amountMinor', `amountMinor ${parsed.error}`);
  if (parsed.value === 0n) return fieldError('amountMinor', 'amountMinor must be more than 0');
  return ok(parsed.value);
}

function currencyCode(raw: unknown): Result<string, FieldError> {
  if (typeof raw !== 'string' || !/^[A-Z]{3}$/.test(raw))
    return fieldError(
      'currency',
      `currency must be an ISO 4217 code such as CNY, got ${JSON.stringify(raw)}`,
    );
  return ok(raw);
}

function wholeDays(raw: unknown): Result<number, FieldError> {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw))
    return fieldError('termDays', `termDays must be a whole number of days, got ${JSON.stringify(raw)}`);
  if (raw < 1 || raw > TERM_DAYS_CONTRACT_MAX)
    return fieldError('termDays', `termDays must be between 1 and ${TERM_DAYS_CONTRACT_MAX}, got ${raw}`);
  return ok(raw);
}

/** `{ amountMinor, currency, termDays }`: amountMinor a positive digit string or safe integer. */
export function parseDrawdownRequest(body: unknown): Result<DrawdownRequest, FieldError> {
  const fields = bodyFields(body, ['amountMinor', 'currency', 'termDays']);
  if (!fields.ok) return fields;
  const amountMinor = positiveAmount(fields.value.amountMinor);
  if (!amountMinor.ok) return amountMinor;
  const currency = currencyCode(fields.value.currency);
  if (!currency.ok) return currency;
  const termDays = wholeDays(fields.value.termDays);
  if (!termDays.ok) return termDays;
  return ok({ amountMinor: amountMinor.value, currency: currency.value, termDays: termDays.value });
}

/** `{ amountMinor, currency }` of a manual repayment. */
export function parseRepaymentRequest(body: unknown): Result<RepaymentRequest, FieldError> {
  const fields = bodyFields(body, ['amountMinor', 'currency']);
  if (!fields.ok) return fields;
  const amountMinor = positiveAmount(fields.value.amountMinor);
  if (!amountMinor.ok) return amountMinor;
  const currency = currencyCode(fields.value.currency);
  if (!currency.ok) return currency;
  return ok({ amountMinor: amountMinor.value, currency: currency.value });
}
