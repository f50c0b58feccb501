import { z } from 'zod';
import { ApiError } from './api-error';
import { describeValidationIssues, parseOrThrow, VALIDATION_PROBLEMS_MAX } from './validation';

const Drawdown = z.strictObject({
  amountMinor: z.string().regex(/^\d+$/, 'must be a string of digits (minor units)'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY'),
  termDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1'),
  lines: z.array(z.object({ sku: z.string({ error: 'must be a string' }) })).optional(),
});

function failureOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('parseOrThrow', () => {
  it('returns the output of a valid value', () => {
    expect(parseOrThrow(Drawdown, { amountMinor: '100', currency: 'CNY', termDays: 30 }, 'body')).toEqual({
      amountMinor: '100',
      currency: 'CNY',
      termDays: 30,
    });
  });

  it.each<[string, unknown, string]>([
    [
      'a bad amount',
      { amountMinor: '1.5', currency: 'CNY', termDays: 30 },
      'amountMinor: must be a string of digits (minor units)',
    ],
    [
      'two bad fields',
      { amountMinor: 'x', currency: 'cny', termDays: 30 },
      'amountMinor: must be a string of digits (minor units); currency: must be an ISO 4217 code such as CNY',
    ],
    ['a missing field', { amountMinor: '1', currency: 'CNY' }, 'termDays: must be a number of days'],
    [
      'a nested field',
      { amountMinor: '1', currency: 'CNY', termDays: 1, lines: [{ sku: 's' }, { sku: 7 }] },
      'lines[1].sku: must be a string',
    ],
    [
      'an unknown field',
      { amountMinor: '1', currency: 'CNY', termDays: 1, amount: 5 },
      'amount: is not a field of this request',
    ],
    ['not an object', 'hello', 'body: '],
    ['no body at all', undefined, 'body: '],
  ])('a 400 VALIDATION_FAILED naming the field: %s', (_case, value, message) => {
    const error = failureOf(() => parseOrThrow(Drawdown, value, 'body'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(message);
    expect(error.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: error.message } });
  });

  it('names a single parameter by its root name', () => {
    const merchantId = z.string().regex(/^[a-z0-9-]{1,8}$/, 'must be 1-8 characters of a-z 0-9 -');
    expect(failureOf(() => parseOrThrow(merchantId, 'M 1', 'merchantId')).message).toBe(
      'merchantId: must be 1-8 characters of a-z 0-9 -',
    );
  });

  it(`lists at most ${VALIDATION_PROBLEMS_MAX} problems and counts the rest`, () => {
    const many = z.object(
      Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`f${i}`, z.string({ error: 'required' })])),
    );
    const message = failureOf(() => parseOrThrow(many, {}, 'body')).message;
    expect(message.split('; ')).toHaveLength(VALIDATION_PROBLEMS_MAX + 1);
    expect(message).toMatch(/; and 3 more$/);
  });
});

describe('describeValidationIssues', () => {
  it('formats paths as a person writes them', () => {
    expect(
      describeValidationIssues(
        [
          { code: 'custom', path: ['a', 0, 'b'], message: 'is wrong', input: undefined },
          { code: 'custom', path: [], message: 'is empty', input: undefined },
        ],
        'query',
      ),
    ).toBe('a[0].b: is wrong; query: is empty');
  });
});
