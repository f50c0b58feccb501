import { parseOrThrow } from '@lendstream/platform';
import {
  AUDIT_PAGE_SIZE_DEFAULT,
  AuditPageQuery,
  decodeAuditCursor,
  encodeAuditCursor,
} from './audit-page-query';

describe('the audit cursor', () => {
  it('round-trips a position', () => {
    expect(decodeAuditCursor(encodeAuditCursor('9007199254740993'))).toBe('9007199254740993');
  });

  it.each([
    ['not base64url', 'a+b'],
    ['not JSON', Buffer.from('{x').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, before: '5' })).toString('base64url')],
    [
      'a position that is not a number',
      Buffer.from(JSON.stringify({ v: 1, before: '1 OR 1=1' })).toString('base64url'),
    ],
    ['position 0', Buffer.from(JSON.stringify({ v: 1, before: '0' })).toString('base64url')],
    ['too long', 'a'.repeat(101)],
  ])('refuses a cursor that is %s', (_case, cursor) => expect(decodeAuditCursor(cursor)).toBeUndefined());
});

describe('AuditPageQuery', () => {
  const parse = (query: unknown) => parseOrThrow(AuditPageQuery, query, 'query');

  it('defaults the page size, decodes the cursor and keeps the filters', () => {
    expect(parse({})).toEqual({ limit: AUDIT_PAGE_SIZE_DEFAULT });
    expect(
      parse({
        limit: '5',
        cursor: encodeAuditCursor('42'),
        action: 'credit-line.freeze',
        target: 'merchant:m-1',
      }),
    ).toEqual({ limit: 5, cursor: '42', action: 'credit-line.freeze', target: 'merchant:m-1' });
  });

  it.each<[unknown, string]>([
    [{ limit: '101' }, 'limit: must be a whole number from 1 to 100'],
    [{ cursor: 'x' }, 'cursor: is not a cursor this API issued'],
    [{ action: 'freeze' }, 'action: must be an action such as credit-line.freeze'],
    [{ target: 'm-1' }, 'target: must be a target such as merchant:m-000042'],
    [{ action: ['a.b', 'c.d'] }, 'action: must be an action such as credit-line.freeze'],
    [{ subject: 'alice' }, 'subject: is not a field of this request'],
  ])('%j → 400 %s', (query, message) => expect(() => parse(query)).toThrow(message));
});
