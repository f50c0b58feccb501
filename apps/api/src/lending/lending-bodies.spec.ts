import { parseOrThrow } from '@lendstream/platform';
import { DrawdownBody, LoanId, RepaymentBody } from './lending-bodies';

describe('DrawdownBody', () => {
  const parse = (body: unknown) => parseOrThrow(DrawdownBody, body, 'body');

  it('takes the amount as digits or a safe integer, as a bigint', () => {
    expect(parse({ amountMinor: '9223372036854775807', currency: 'CNY', termDays: 30 })).toEqual({
      amountMinor: 9_223_372_036_854_775_807n,
      currency: 'CNY',
      termDays: 30,
    });
    expect(parse({ amountMinor: 150_000, currency: 'USD', termDays: 365 }).amountMinor).toBe(150_000n);
  });

  it.each<[string, unknown, string]>([
    ['no amount', { currency: 'CNY', termDays: 30 }, 'amountMinor: is required: minor units'],
    [
      'an amount of 0',
      { amountMinor: '0', currency: 'CNY', termDays: 30 },
      'amountMinor: must be more than 0',
    ],
    [
      'a negative amount',
      { amountMinor: '-5', currency: 'CNY', termDays: 30 },
      'amountMinor: must be minor units',
    ],
    ['a fractional amount', { amountMinor: 1.5, currency: 'CNY', termDays: 30 }, 'the amount is fractional'],
    [
      'an amount beyond a bigint',
      { amountMinor: '9223372036854775808', currency: 'CNY', termDays: 30 },
      'exceeds 2^63 - 1',
    ],
    [
      'an amount that is a boolean',
      { amountMinor: true, currency: 'CNY', termDays: 30 },
      'amountMinor: must be minor units',
    ],
    ['an unsafe JSON integer', { amountMinor: 2 ** 53 + 2, currency: 'CNY', termDays: 30 }, 'beyond 2^53'],
    ['no currency', { amountMinor: '1', termDays: 30 }, 'currency: is required: an ISO 4217 code'],
    [
      'a lower-case currency',
      { amountMinor: '1', currency: 'cny', termDays: 30 },
      'currency: must be an ISO 4217 code',
    ],
    [
      'no term',
      { amountMinor: '1', currency: 'CNY' },
      'termDays: is required: a whole number of days from 1 to 365',
    ],
    [
      'a term of 0',
      { amountMinor: '1', currency: 'CNY', termDays: 0 },
      'termDays: must be a whole number of days from 1 to 365',
    ],
    [
      'a term of 366',
      { amountMinor: '1', currency: 'CNY', termDays: 366 },
      'termDays: must be a whole number',
    ],
    [
      'a fractional term',
      { amountMinor: '1', currency: 'CNY', termDays: 7.5 },
      'termDays: must be a whole number',
    ],
    [
      'a term as a string',
      { amountMinor: '1', currency: 'CNY', termDays: '30' },
      'termDays: must be a whole number',
    ],
    [
      'a misspelt field',
      { amountMinor: '1', currency: 'CNY', term: 30 },
      'term: is not a field of this request',
    ],
    ['an array', [], 'body: must be a JSON object such as'],
  ])('%s → 400 %s', (_case, body, message) => {
    expect(() => parse(body)).toThrow(message);
  });
});

describe('RepaymentBody', () => {
  const parse = (body: unknown) => parseOrThrow(RepaymentBody, body, 'body');

  it('takes an amount and a currency, nothing else', () => {
    expect(parse({ amountMinor: '50000', currency: 'CNY' })).toEqual({
      amountMinor: 50_000n,
      currency: 'CNY',
    });
    expect(() => parse({ amountMinor: '50000', currency: 'CNY', termDays: 3 })).toThrow(
      'termDays: is not a field of this request',
    );
    expect(() => parse({ currency: 'CNY' })).toThrow('amountMinor: is required');
    expect(() => parse(null)).toThrow('body: must be a JSON object');
  });
});

describe('LoanId', () => {
  it('takes a UUID of any case and gives it in lower case', () => {
    expect(parseOrThrow(LoanId, '2BE3F278-0961-81DE-8131-B8B6BBC316A5', 'loanId')).toBe(
      '2be3f278-0961-81de-8131-b8b6bbc316a5',
    );
  });

  it.each(['loan-1', '', "1' OR '1'='1", '2be3f278-0961-81de-8131-b8b6bbc316a'])(
    'refuses %j naming loanId',
    (id) => {
      expect(() => parseOrThrow(LoanId, id, 'loanId')).toThrow('loanId: must be a loan id (a UUID');
    },
  );
});
