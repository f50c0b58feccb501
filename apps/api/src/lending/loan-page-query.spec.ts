import { parseOrThrow } from '@lendstream/platform';
import {
  decodeLoanCursor,
  encodeLoanCursor,
  LoanPageQuery,
  LOANS_PAGE_SIZE_DEFAULT,
} from './loan-page-query';

const LOAN_ID = '2be3f278-0961-81de-8131-b8b6bbc316a5';

describe('the loans cursor', () => {
  it('round-trips a loan id', () => {
    const cursor = encodeLoanCursor(LOAN_ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLoanCursor(cursor)).toBe(LOAN_ID);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, after: LOAN_ID })).toString('base64url')],
    ['not a uuid', Buffer.from(JSON.stringify({ v: 1, after: "1' OR '1'='1" })).toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('refuses a cursor that is %s', (_case, cursor) => {
    expect(decodeLoanCursor(cursor)).toBeUndefined();
  });
});

describe('LoanPageQuery', () => {
  const parse = (query: unknown) => parseOrThrow(LoanPageQuery, query, 'query');

  it('defaults the page size and decodes the cursor', () => {
    expect(parse({})).toEqual({ limit: LOANS_PAGE_SIZE_DEFAULT });
    expect(parse({ limit: '100', cursor: encodeLoanCursor(LOAN_ID) })).toEqual({
      limit: 100,
      cursor: LOAN_ID,
    });
  });

  it.each<[unknown, string]>([
    [{ limit: '0' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: '101' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: 'ten' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: ['1', '2'] }, 'limit: must be a whole number from 1 to 100'],
    [{ cursor: 'garbage' }, 'cursor: is not a cursor this API issued'],
    [{ status: 'ACTIVE' }, 'status: is not a field of this request'],
  ])('%j → 400 %s', (query, message) => {
    expect(() => parse(query)).toThrow(message);
  });
});
