import { parseDrawdownRequest, parseRepaymentRequest } from './request-fields';

const drawdown = { amountMinor: '500000', currency: 'CNY', termDays: 30 };

describe('the drawdown request body', () => {
  it.each<[string, unknown, { amountMinor: bigint; currency: string; termDays: number }]>([
    ['digits', drawdown, { amountMinor: 500_000n, currency: 'CNY', termDays: 30 }],
    [
      'a safe JSON integer',
      { ...drawdown, amountMinor: 500_000 },
      { amountMinor: 500_000n, currency: 'CNY', termDays: 30 },
    ],
    [
      'leading zeros',
      { ...drawdown, amountMinor: '0001' },
      { amountMinor: 1n, currency: 'CNY', termDays: 30 },
    ],
    [
      'the largest amount',
      { ...drawdown, amountMinor: '9223372036854775807' },
      { amountMinor: 2n ** 63n - 1n, currency: 'CNY', termDays: 30 },
    ],
    [
      'the contract term edges (1)',
      { ...drawdown, termDays: 1 },
      { amountMinor: 500_000n, currency: 'CNY', termDays: 1 },
    ],
    [
      'the contract term edges (365)',
      { ...drawdown, termDays: 365 },
      { amountMinor: 500_000n, currency: 'CNY', termDays: 365 },
    ],
  ])('accepts %s', (_case, body, expected) => {
    expect(parseDrawdownRequest(body)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, unknown, string, string]>([
    [
      'no body',
      undefined,
      '(body)',
      'must be a JSON object with amountMinor, currency, termDays, got undefined',
    ],
    ['an array', [drawdown], '(body)', 'got an array'],
    ['null', null, '(body)', 'got null'],
    ['a misspelt field', { ...drawdown, term: 30 }, 'term', 'is not a field of this request'],
    ['a missing amount', { currency: 'CNY', termDays: 30 }, 'amountMinor', 'is required'],
    ['a missing currency', { amountMinor: '1', termDays: 30 }, 'currency', 'is required'],
    ['a missing term', { amountMinor: '1', currency: 'CNY' }, 'termDays', 'is required'],
    ['a zero amount', { ...drawdown, amountMinor: '0' }, 'amountMinor', 'amountMinor must be more than 0'],
    ['a negative amount', { ...drawdown, amountMinor: '-5' }, 'amountMinor', 'amountMinor is negative'],
    ['a fractional amount', { ...drawdown, amountMinor: '10.5' }, 'amountMinor', 'is fractional'],
    ['a float', { ...drawdown, amountMinor: 10.5 }, 'amountMinor', 'is fractional'],
    ['an unsafe JSON integer', { ...drawdown, amountMinor: 2 ** 60 }, 'amountMinor', 'beyond 2^53'],
    [
      'an amount past 2^63 − 1',
      { ...drawdown, amountMinor: '9223372036854775808' },
      'amountMinor',
      'exceeds 2^63 - 1',
    ],
    [
      'a lower-case currency',
      { ...drawdown, currency: 'cny' },
      'currency',
      'must be an ISO 4217 code such as CNY, got "cny"',
    ],
    ['a currency that is not a string', { ...drawdown, currency: 156 }, 'currency', 'got 156'],
    [
      'a term as a string',
      { ...drawdown, termDays: '30' },
      'termDays',
      'must be a whole number of days, got "30"',
    ],
    ['a fractional term', { ...drawdown, termDays: 30.5 }, 'termDays', 'must be a whole number of days'],
    ['a term of 0', { ...drawdown, termDays: 0 }, 'termDays', 'must be between 1 and 365, got 0'],
    [
      'a term past the contract',
      { ...drawdown, termDays: 366 },
      'termDays',
      'must be between 1 and 365, got 366',
    ],
  ])('refuses %s, naming the field', (_case, body, field, message) => {
    const parsed = parseDrawdownRequest(body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.field).toBe(field);
    expect(parsed.error.message).toContain(message);
  });
});

describe('the manual repayment request body', () => {
  it('accepts an amount and a currency', () => {
    expect(parseRepaymentRequest({ amountMinor: '1200', currency: 'USD' })).toEqual({
      ok: true,
      value: { amountMinor: 1_200n, currency: 'USD' },
    });
  });

  it.each<[string, unknown, string]>([
    ['a term (not a field of a repayment)', { amountMinor: '1', currency: 'CNY', termDays: 3 }, 'termDays'],
    ['a zero amount', { amountMinor: 0, currency: 'CNY' }, 'amountMinor'],
    ['no currency', { amountMinor: '1' }, 'currency'],
    ['a string body', 'pay 12 yuan', '(body)'],
  ])('refuses %s', (_case, body, field) => {
    const parsed = parseRepaymentRequest(body);
    expect(parsed.ok ? null : parsed.error.field).toBe(field);
  });
});
