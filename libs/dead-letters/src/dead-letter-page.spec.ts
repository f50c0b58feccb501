import { decodeDeadLetterCursor, encodeDeadLetterCursor } from './dead-letter-page';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the dead-letter page cursor', () => {
  it('round-trips a position', () => {
    const position = { deadLetteredAt: '2026-11-28T11:59:58.120123Z', position: '9007199254740993' };
    expect(decodeDeadLetterCursor(encodeDeadLetterCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64url', 'a+b'],
    ['not JSON', Buffer.from('{x').toString('base64url')],
    ['JSON null', encode(null)],
    ['another version', encode({ v: 2, at: '2026-11-28T11:59:58.120123Z', before: '5' })],
    ['a time without microseconds', encode({ v: 1, at: '2026-11-28T11:59:58Z', before: '5' })],
    ['a time that is not a date', encode({ v: 1, at: '2026-13-28T11:59:58.000000Z', before: '5' })],
    [
      'a position that is not a number',
      encode({ v: 1, at: '2026-11-28T11:59:58.120123Z', before: '1 OR 1=1' }),
    ],
    ['position 0', encode({ v: 1, at: '2026-11-28T11:59:58.120123Z', before: '0' })],
    [
      'a position past int64',
      encode({ v: 1, at: '2026-11-28T11:59:58.120123Z', before: '9999999999999999999' }),
    ],
    ['too long', 'a'.repeat(201)],
  ])('refuses a cursor that is %s', (_case, cursor) =>
    expect(decodeDeadLetterCursor(cursor)).toBeUndefined(),
  );
});
