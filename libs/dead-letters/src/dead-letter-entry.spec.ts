import {
  boundedText,
  DEAD_LETTER_ERROR_MAX_LENGTH,
  DEAD_LETTER_PAYLOAD_MAX_BYTES,
  type DeadLetterRecord,
  readDeadLetter,
  UNKNOWN_DEAD_LETTER_REASON,
} from './dead-letter-entry';

const indexedAt = new Date('2026-11-28T12:00:00.000Z');
const headers = {
  'content-type': 'application/cloudevents+json',
  'dlq-reason': 'SCHEMA_VIOLATION',
  'dlq-error': 'data.amountMinor: must be a string of digits',
  'dlq-source-topic': 'scf.orders.v1',
  'dlq-source-partition': '3',
  'dlq-source-offset': '9007199254740993',
  'dlq-service': 'profiler',
  'dlq-at': '2026-11-28T11:59:58.120Z',
};
const event = { specversion: '1.0', id: 'e-1', type: 'order.paid', data: { amountMinor: 1.5 } };
const record = (overrides: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  topic: 'scf.dlq.v1',
  partition: 2,
  offset: '41',
  key: Buffer.from('m-000042'),
  value: Buffer.from(JSON.stringify(event)),
  headers,
  timestamp: '1795000000000',
  ...overrides,
});

describe('readDeadLetter', () => {
  it('reads every dlq-* header, the key, the event id and type and the payload of a well-formed dead letter', () => {
    expect(readDeadLetter(record(), indexedAt)).toEqual({
      dlqTopic: 'scf.dlq.v1',
      dlqPartition: 2,
      dlqOffset: '41',
      reason: 'SCHEMA_VIOLATION',
      error: 'data.amountMinor: must be a string of digits',
      sourceTopic: 'scf.orders.v1',
      sourcePartition: 3,
      sourceOffset: '9007199254740993',
      service: 'profiler',
      messageKey: 'm-000042',
      eventId: 'e-1',
      eventType: 'order.paid',
      payload: JSON.stringify(event),
      payloadBytes: Buffer.byteLength(JSON.stringify(event)),
      payloadTruncated: false,
      deadLetteredAt: new Date('2026-11-28T11:59:58.120Z'),
    });
  });

  it('takes headers as Buffers (as kafkajs gives them) and the last of repeated values', () => {
    const entry = readDeadLetter(
      record({
        headers: {
          'dlq-reason': [Buffer.from('NOT_JSON'), Buffer.from('CURRENCY_MISMATCH')],
          'dlq-source-topic': Buffer.from('test-x.scf.treasury.v1'),
        },
      }),
      indexedAt,
    );
    expect(entry.reason).toBe('CURRENCY_MISMATCH');
    expect(entry.sourceTopic).toBe('test-x.scf.treasury.v1');
  });

  it.each<[string, DeadLetterRecord['headers'], Partial<ReturnType<typeof readDeadLetter>>]>([
    [
      'no headers at all (produced by hand)',
      undefined,
      {
        reason: UNKNOWN_DEAD_LETTER_REASON,
        error: null,
        sourceTopic: null,
        sourcePartition: null,
        sourceOffset: null,
        service: null,
        deadLetteredAt: new Date(1795000000000),
      },
    ],
    [
      'a reason that is not a code',
      { 'dlq-reason': 'bad reason; DROP TABLE' },
      { reason: UNKNOWN_DEAD_LETTER_REASON },
    ],
    ['an empty reason', { 'dlq-reason': '  ' }, { reason: UNKNOWN_DEAD_LETTER_REASON }],
    ['a reason of 65 characters', { 'dlq-reason': 'A'.repeat(65) }, { reason: UNKNOWN_DEAD_LETTER_REASON }],
    ['a partition that is not a number', { 'dlq-source-partition': '-1' }, { sourcePartition: null }],
    ['an offset past int64', { 'dlq-source-offset': '9223372036854775808' }, { sourceOffset: null }],
    ['an offset with leading zeros', { 'dlq-source-offset': '007' }, { sourceOffset: '7' }],
    ['a topic with a space', { 'dlq-source-topic': 'scf orders' }, { sourceTopic: null }],
    ['a service with a slash', { 'dlq-service': 'a/b' }, { service: null }],
    [
      'a dlq-at that is not an instant',
      { 'dlq-at': 'yesterday' },
      { deadLetteredAt: new Date(1795000000000) },
    ],
    [
      'a dlq-at that is not a date',
      { 'dlq-at': '2026-13-45T99:00:00Z' },
      { deadLetteredAt: new Date(1795000000000) },
    ],
  ])('%s: the rest is null or a fallback, never a failure', (_case, recordHeaders, expected) => {
    expect(readDeadLetter(record({ headers: recordHeaders }), indexedAt)).toMatchObject(expected);
  });

  it('falls back on the indexing time when neither dlq-at nor the record timestamp can be read', () => {
    expect(readDeadLetter(record({ headers: {}, timestamp: '-1' }), indexedAt).deadLetteredAt).toEqual(
      indexedAt,
    );
  });

  it('cuts a long dlq-error', () => {
    const error = readDeadLetter(record({ headers: { 'dlq-error': 'x'.repeat(3000) } }), indexedAt).error!;
    expect(error).toHaveLength(DEAD_LETTER_ERROR_MAX_LENGTH);
    expect(error.endsWith('…')).toBe(true);
  });

  it.each<[string, Buffer | null, string | null, string | null]>([
    ['no value', null, null, null],
    ['an empty value', Buffer.alloc(0), null, null],
    ['not JSON', Buffer.from('order paid!'), null, null],
    ['a JSON array', Buffer.from('[{"id":"e-1"}]'), null, null],
    ['numbers for id and type', Buffer.from('{"id":7,"type":true}'), null, null],
    ['an id of 256 characters', Buffer.from(JSON.stringify({ id: 'i'.repeat(256), type: 'x' })), null, 'x'],
    ['an empty id', Buffer.from('{"id":"","type":"order.paid"}'), null, 'order.paid'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), null, null],
  ])('%s: no event id or type', (_case, value, eventId, eventType) => {
    const entry = readDeadLetter(record({ value }), indexedAt);
    expect([entry.eventId, entry.eventType]).toEqual([eventId, eventType]);
    expect(entry.payloadBytes).toBe(value?.length ?? 0);
    expect(entry.payload).toBe(value === null ? null : boundedText(value, DEAD_LETTER_PAYLOAD_MAX_BYTES));
  });

  it('keeps a bounded prefix of a huge value, and does not parse it', () => {
    const huge = Buffer.from(
      JSON.stringify({ id: 'e-big', type: 'order.paid', data: 'x'.repeat(5_000_000) }),
    );
    const entry = readDeadLetter(record({ value: huge }), indexedAt);
    expect(entry.payloadBytes).toBe(huge.length);
    expect(entry.payloadTruncated).toBe(true);
    expect(Buffer.byteLength(entry.payload!)).toBeLessThanOrEqual(DEAD_LETTER_PAYLOAD_MAX_BYTES);
    expect(entry.eventId).toBeNull();
  });

  it('keeps a value of exactly the limit whole', () => {
    const value = Buffer.alloc(DEAD_LETTER_PAYLOAD_MAX_BYTES, 'a');
    const entry = readDeadLetter(record({ value }), indexedAt);
    expect(entry.payloadTruncated).toBe(false);
    expect(entry.payload).toHaveLength(DEAD_LETTER_PAYLOAD_MAX_BYTES);
  });

  it('cuts a binary key to 255 characters', () => {
    const entry = readDeadLetter(record({ key: Buffer.alloc(2000, 0) }), indexedAt);
    expect(entry.messageKey!.length).toBeLessThanOrEqual(255);
    expect(entry.messageKey).not.toContain('\u0000');
  });
});

describe('boundedText', () => {
  it.each<[string, Buffer, number, string]>([
    ['a short value whole', Buffer.from('héllo'), 100, 'héllo'],
    ['never splits a two-byte character', Buffer.from('aé'), 2, 'a'],
    ['never splits a four-byte character', Buffer.from('a😀b'), 4, 'a'],
    ['cuts after a whole character', Buffer.from('a😀b'), 5, 'a😀'],
    ['replaces NUL, which Postgres text refuses', Buffer.from([0x61, 0x00, 0x62]), 10, 'a\uFFFDb'],
    ['replaces invalid bytes', Buffer.from([0x61, 0xff]), 10, 'a\uFFFD'],
  ])('%s', (_case, bytes, maxBytes, expected) => expect(boundedText(bytes, maxBytes)).toBe(expected));
});
