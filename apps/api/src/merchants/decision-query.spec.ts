import { parseOrThrow } from '@lendstream/platform';
import { decodeDecisionCursor, encodeDecisionCursor } from './decision-cursor';
import { DecisionPageQuery, DECISIONS_PAGE_SIZE_DEFAULT } from './decision-page-query';

const DECISION_ID = '0b6f1a52-7d7e-4f6e-9a83-2d8e0c3b7a11';

describe('the decisions cursor', () => {
  it('round-trips a decision id', () => {
    const cursor = encodeDecisionCursor(DECISION_ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeDecisionCursor(cursor)).toBe(DECISION_ID);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, after: DECISION_ID })).toString('base64url')],
    ['not a uuid', Buffer.from(JSON.stringify({ v: 1, after: "1' OR '1'='1" })).toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('refuses a cursor that is %s', (_case, cursor) => {
    expect(decodeDecisionCursor(cursor)).toBeUndefined();
  });
});

describe('DecisionPageQuery', () => {
  const parse = (query: unknown) => parseOrThrow(DecisionPageQuery, query, 'query');

  it('defaults the page size and decodes the cursor', () => {
    expect(parse({})).toEqual({ limit: DECISIONS_PAGE_SIZE_DEFAULT });
    expect(parse({ limit: '100', cursor: encodeDecisionCursor(DECISION_ID) })).toEqual({
      limit: 100,
      cursor: DECISION_ID,
    });
  });

  it.each<[unknown, string]>([
    [{ limit: '0' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: '101' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: '-5' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: '2.5' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: ['10', '20'] }, 'limit: must be a whole number from 1 to 100'],
    [{ cursor: 'garbage' }, 'cursor: is not a cursor this API issued'],
    [{ page: '2' }, 'page: is not a field of this request'],
  ])('%j → 400 %s', (query, message) => {
    expect(() => parse(query)).toThrow(message);
  });
});
