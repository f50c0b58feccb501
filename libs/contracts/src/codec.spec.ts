import { decodeEvent, encodeEvent, createEvent, MAX_EVENT_BYTES } from './codec';
import { DeadLetterReason } from './dead-letter-reason';
import { Topics } from './topics';

const paid = {
  specversion: '1.0',
  id: '9d7e3c1a-4c1b-4e5f-9d0e-2f6a7b8c9d0e',
  source: '/platform/orders',
  type: 'order.paid',
  time: '2026-11-11T00:00:03.120Z',
  subject: 'm-000042',
  datacontenttype: 'application/json',
  data: { merchantId: 'm-000042', orderId: 'o-1', amountMinor: '12345', currency: 'CNY' },
};

type Mutator = (event: Record<string, unknown> & { data: Record<string, unknown> }) => unknown;
const mutate = (change: Mutator): string => {
  const copy = structuredClone(paid) as Record<string, unknown> & { data: Record<string, unknown> };
  const result = change(copy);
  return JSON.stringify(result === undefined ? copy : result);
};

describe('decodeEvent', () => {
  it('decodes a valid event into a typed one with bigint money', () => {
    const result = decodeEvent({
      topic: Topics.orders,
      key: 'm-000042',
      value: Buffer.from(JSON.stringify(paid)),
    });
    expect(result.ok).toBe(true);
    if (result.ok && result.value.type === 'order.paid') {
      expect(result.value.data.amountMinor).toBe(12345n);
      expect(result.value.data.currency).toBe('CNY');
    }
  });

  it('accepts a safe JSON integer amount and ignores unknown optional fields', () => {
    const value = mutate((e) => {
      e.data.amountMinor = 500;
      e.data.channel = 'live-stream';
    });
    const result = decodeEvent({ topic: Topics.orders, key: 'm-000042', value });
    expect(result).toMatchObject({ ok: true, value: { data: { amountMinor: 500n } } });
  });

  const cases: Array<[string, string | Buffer | null, string | null, string, string | undefined]> = [
    ['empty value', null, 'm-000042', DeadLetterReason.NOT_JSON, undefined],
    ['not JSON', 'order paid!', 'm-000042', DeadLetterReason.NOT_JSON, undefined],
    [
      'invalid UTF-8',
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      'm-000042',
      DeadLetterReason.NOT_JSON,
      undefined,
    ],
    [
      'deeply nested JSON (valid, but no event)',
      '['.repeat(30000) + ']'.repeat(30000),
      'm-000042',
      DeadLetterReason.NOT_CLOUDEVENT,
      undefined,
    ],
    [
      'over 64 KiB',
      mutate((e) => void (e.data.note = 'x'.repeat(MAX_EVENT_BYTES))),
      'm-000042',
      DeadLetterReason.PAYLOAD_TOO_LARGE,
      undefined,
    ],
    ['a JSON array', '[1,2]', 'm-000042', DeadLetterReason.NOT_CLOUDEVENT, undefined],
    ['a JSON string', '"hello"', 'm-000042', DeadLetterReason.NOT_CLOUDEVENT, undefined],
    [
      'missing specversion',
      mutate((e) => void delete e.specversion),
      'm-000042',
      DeadLetterReason.NOT_CLOUDEVENT,
      'specversion',
    ],
    [
      'wrong specversion',
      mutate((e) => void (e.specversion = '0.3')),
      'm-000042',
      DeadLetterReason.NOT_CLOUDEVENT,
      'specversion',
    ],
    ['missing id', mutate((e) => void delete e.id), 'm-000042', DeadLetterReason.NOT_CLOUDEVENT, 'id'],
    ['numeric id', mutate((e) => void (e.id = 7)), 'm-000042', DeadLetterReason.NOT_CLOUDEVENT, 'id'],
    [
      'time without zone',
      mutate((e) => void (e.time = '2026-11-11T00:00:03')),
      'm-000042',
      DeadLetterReason.NOT_CLOUDEVENT,
      'time',
    ],
    [
      'impossible date',
      mutate((e) => void (e.time = '2026-13-45T00:00:00Z')),
      'm-000042',
      DeadLetterReason.NOT_CLOUDEVENT,
      'time',
    ],
    [
      'data not an object',
      mutate((e) => void (e.data = 'x' as never)),
      'm-000042',
      DeadLetterReason.NOT_CLOUDEVENT,
      'data',
    ],
    [
      'unknown type',
      mutate((e) => void (e.type = 'order.teleported')),
      'm-000042',
      DeadLetterReason.UNKNOWN_TYPE,
      'type',
    ],
    [
      'type of another topic',
      mutate((e) => void (e.type = 'shipment.returned')),
      'm-000042',
      DeadLetterReason.WRONG_TOPIC,
      'type',
    ],
    [
      'missing orderId',
      mutate((e) => void delete e.data.orderId),
      'm-000042',
      DeadLetterReason.SCHEMA_VIOLATION,
      'data.orderId',
    ],
    [
      'numeric orderId',
      mutate((e) => void (e.data.orderId = 12)),
      'm-000042',
      DeadLetterReason.SCHEMA_VIOLATION,
      'data.orderId',
    ],
    [
      'lowercase currency',
      mutate((e) => void (e.data.currency = 'cny')),
      'm-000042',
      DeadLetterReason.SCHEMA_VIOLATION,
      'data.currency',
    ],
    [
      'merchant id with a brace',
      mutate((e) => {
        e.data.merchantId = 'm-{1}';
        e.subject = 'm-{1}';
      }),
      'm-{1}',
      DeadLetterReason.SCHEMA_VIOLATION,
      'data.merchantId',
    ],
    [
      'null amount',
      mutate((e) => void (e.data.amountMinor = null)),
      'm-000042',
      DeadLetterReason.SCHEMA_VIOLATION,
      'data.amountMinor',
    ],
    [
      'negative amount',
      mutate((e) => void (e.data.amountMinor = '-100')),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'negative JSON amount',
      mutate((e) => void (e.data.amountMinor = -100)),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'fractional amount',
      mutate((e) => void (e.data.amountMinor = '10.5')),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'fractional JSON amount',
      mutate((e) => void (e.data.amountMinor = 10.5)),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'NaN amount',
      mutate((e) => void (e.data.amountMinor = 'NaN')),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'exponent amount',
      mutate((e) => void (e.data.amountMinor = '1e5')),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'amount beyond 2^63',
      mutate((e) => void (e.data.amountMinor = '9223372036854775808')),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'unsafe JSON integer',
      mutate((e) => void (e.data.amountMinor = 2 ** 62)),
      'm-000042',
      DeadLetterReason.INVALID_AMOUNT,
      'data.amountMinor',
    ],
    [
      'subject is another merchant',
      mutate((e) => void (e.subject = 'm-000043')),
      'm-000042',
      DeadLetterReason.SUBJECT_MISMATCH,
      'subject',
    ],
    ['key is another merchant', JSON.stringify(paid), 'm-000043', DeadLetterReason.KEY_MISMATCH, 'key'],
    ['no key', JSON.stringify(paid), null, DeadLetterReason.KEY_MISMATCH, 'key'],
  ];

  it.each(cases)('refuses %s', (_name, value, key, reason, field) => {
    const result = decodeEvent({ topic: Topics.orders, key, value });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe(reason);
      if (field !== undefined) expect(result.error.field).toBe(field);
      expect(result.error.message.length).toBeGreaterThan(0);
    }
  });

  it('accepts a namespaced topic (tests and benchmarks run on their own topics)', () => {
    const value = JSON.stringify(paid);
    expect(decodeEvent({ topic: `bench-42.${Topics.orders}`, key: 'm-000042', value }).ok).toBe(true);
    expect(decodeEvent({ topic: `bench-42.${Topics.logistics}`, key: 'm-000042', value })).toMatchObject({
      ok: false,
      error: { reason: DeadLetterReason.WRONG_TOPIC },
    });
  });

  it('never throws, whatever the bytes', () => {
    for (let seed = 0; seed < 500; seed += 1) {
      const bytes = Buffer.from(
        Array.from({ length: (seed * 7919) % 300 }, (_, index) => (seed * 31 + index * 17) % 256),
      );
      expect(() => decodeEvent({ topic: Topics.orders, key: 'm-1', value: bytes })).not.toThrow();
    }
  });
});

describe('encodeEvent', () => {
  it('round-trips through decodeEvent with amounts as digit strings', () => {
    const event = createEvent({
      type: 'order.refunded',
      id: 'r-1',
      source: '/platform/orders',
      time: new Date('2026-11-11T08:00:00Z'),
      data: { merchantId: 'm-7', orderId: 'o-9', amountMinor: 9007199254740993n, currency: 'USD' },
    });
    const wire = encodeEvent(event);
    expect(wire).toContain('"amountMinor":"9007199254740993"');
    const decoded = decodeEvent({ topic: Topics.orders, key: 'm-7', value: wire });
    expect(decoded).toEqual({ ok: true, value: event });
  });
});
