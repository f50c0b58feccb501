import { encodeDeadLetterCursor } from '@lendstream/dead-letters';
import { parseOrThrow } from '@lendstream/platform';
import { DEAD_LETTERS_PAGE_SIZE_DEFAULT, DeadLetterPageQuery } from './dead-letter-page-query';

describe('DeadLetterPageQuery', () => {
  const parse = (query: unknown) => parseOrThrow(DeadLetterPageQuery, query, 'query');
  const position = { deadLetteredAt: '2026-11-28T11:59:58.120123Z', position: '42' };

  it('defaults the page size, decodes the cursor and keeps the filters', () => {
    expect(parse({})).toEqual({ limit: DEAD_LETTERS_PAGE_SIZE_DEFAULT });
    expect(
      parse({
        limit: '100',
        cursor: encodeDeadLetterCursor(position),
        reason: 'SCHEMA_VIOLATION',
        topic: 'test-a.scf.orders.v1',
      }),
    ).toEqual({ limit: 100, cursor: position, reason: 'SCHEMA_VIOLATION', topic: 'test-a.scf.orders.v1' });
  });

  it.each<[unknown, string]>([
    [{ limit: '0' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: '101' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: '2.5' }, 'limit: must be a whole number from 1 to 100'],
    [{ limit: ['5', '6'] }, 'limit: must be a whole number from 1 to 100'],
    [{ cursor: 'x' }, 'cursor: is not a cursor this API issued'],
    [{ reason: 'schema_violation' }, 'reason: must be a dead-letter reason code such as SCHEMA_VIOLATION'],
    [{ reason: 'A'.repeat(65) }, 'reason: must be a dead-letter reason code'],
    [{ topic: 'scf orders' }, 'topic: must be a topic name such as scf.orders.v1'],
    [{ topic: '' }, 'topic: must be a topic name'],
    [{ pageSize: '5' }, 'pageSize: is not a field of this request'],
  ])('%j → 400 %s', (query, message) => expect(() => parse(query)).toThrow(message));
});
