import fc from 'fast-check';
import { z } from 'zod';
import { decodeEvent, MAX_EVENT_BYTES } from './codec';
import { parseDataFast } from './data-parsers';
import { DeadLetterReason } from './dead-letter-reason';
import { EVENT_CATALOG, PROFILE_INPUT_TYPES, ProfileInputType } from './events';
import { Timestamp } from './schema-primitives';

/**
 * The hand-written parsers against their zod schemas, the reference: generated valid events
 * of every profile input type, and the same events mutated (fields missing, of the wrong type,
 * empty or huge, bad amounts and timestamps, unknown fields added).
 */

const instant = fc.integer({ min: 0, max: Date.UTC(2149, 0, 1) });

/** How each field of the schemas is generated, by name; every other field is an identifier. */
const validField: Record<string, fc.Arbitrary<unknown>> = {
  merchantId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
  currency: fc.stringMatching(/^[A-Z]{3}$/),
  amountMinor: fc.oneof(
    fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
    fc.bigInt({ min: 0n, max: 10n ** 9n }).map((amount) => `000${amount}`),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.constant(-0),
  ),
  onHandUnits: fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(-0)),
  promisedAt: fc.oneof(
    instant.map((ms) => new Date(ms).toISOString()),
    instant.map((ms) =>
      new Date(ms)
        .toISOString()
        .replace('.000Z', 'Z')
        .replace(/\.\d{3}Z$/, 'Z'),
    ),
    instant.map((ms) => new Date(ms).toISOString().replace('Z', '+08:00')),
    fc.constant('2026-11-11T00:00:03.123456789Z'),
  ),
};
validField.inventoryValueMinor = validField.amountMinor!;
validField.deliveredAt = validField.promisedAt!;
const identifier = fc.oneof(
  fc.string({ minLength: 1, maxLength: 128 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
);

const shapeOf = (type: ProfileInputType) =>
  (EVENT_CATALOG[type].data as unknown as z.ZodObject<z.ZodRawShape>).shape;

const validData = (type: ProfileInputType): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(
    Object.fromEntries(Object.keys(shapeOf(type)).map((key) => [key, validField[key] ?? identifier])),
  );

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    '',
    '-100',
    '10.5',
    '1e5',
    'NaN',
    ' 12',
    '9223372036854775808',
    `${'0'.repeat(64)}7`,
    'cny',
    'm-{1}',
    '2026-13-45T00:00:00Z',
    '2026-11-11T00:00:03',
    '2026-02-30T00:00:00.000Z',
    [],
    {},
  ),
  fc.string({ minLength: 120, maxLength: 140 }),
  fc.constant('x'.repeat(10_000)),
  fc.anything(),
);

type Mutation = (data: Record<string, unknown>) => void;
const mutation = (keys: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.constantFrom(...keys).map(
      (key): Mutation =>
        (data) =>
          void delete data[key],
    ),
    fc.tuple(fc.constantFrom(...keys), wrongValue).map(
      ([key, value]): Mutation =>
        (data) =>
          void (data[key] = value),
    ),
    fc.tuple(fc.string({ maxLength: 20 }), fc.anything()).map(
      ([key, value]): Mutation =>
        (data) =>
          void Object.defineProperty(data, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          }),
    ),
  );

/** Valid data of a profile input type, as is or mutated one to three times. */
const dataOfType = (type: ProfileInputType) => {
  const keys = Object.keys(shapeOf(type));
  return fc.oneof(
    validData(type),
    fc
      .tuple(validData(type), fc.array(mutation(keys), { minLength: 1, maxLength: 3 }))
      .map(([data, mutations]) => {
        for (const mutate of mutations) mutate(data);
        return data;
      }),
  );
};

const anyProfileData = fc
  .constantFrom(...PROFILE_INPUT_TYPES)
  .chain((type) => fc.tuple(fc.constant(type), dataOfType(type)));

describe('parseDataFast', () => {
  it('accepts exactly what the schema accepts, and returns what the schema returns (same fields, same order)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(anyProfileData, ([type, data]) => {
        const reference = EVENT_CATALOG[type].data.safeParse(data);
        const fast = parseDataFast(type, data);
        expect(fast !== undefined).toBe(reference.success);
        if (reference.success) {
          accepted += 1;
          expect(fast).toEqual(reference.data);
          expect(Object.keys(fast!)).toEqual(Object.keys(reference.data as object));
        } else refused += 1;
      }),
      { numRuns: 20_000 },
    );
    // Both sides of the line are well exercised.
    expect(accepted).toBeGreaterThan(4_000);
    expect(refused).toBeGreaterThan(4_000);
  });

  it('generates valid data for every type (the generators above are right)', () => {
    for (const type of PROFILE_INPUT_TYPES) {
      fc.assert(
        fc.property(validData(type), (data) => {
          expect(EVENT_CATALOG[type].data.safeParse(data).success).toBe(true);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('has no parser for the other types: their schema parses them', () => {
    const data = { merchantId: 'm-1', requestId: 'r-1', amountMinor: '100', currency: 'CNY', termDays: 30 };
    expect(parseDataFast('drawdown.requested', data)).toBeUndefined();
    expect(parseDataFast('disbursement.settled', {})).toBeUndefined();
  });
});

/** What decodeEvent answered before the fast path, for an envelope whose other attributes are valid. */
function referenceDecode(type: ProfileInputType, value: string, key: string) {
  const envelope = JSON.parse(value) as Record<string, unknown> & { data: Record<string, unknown> };
  const time = Timestamp.safeParse(envelope.time);
  if (!time.success) {
    return {
      ok: false,
      error: {
        reason: DeadLetterReason.NOT_CLOUDEVENT,
        field: 'time',
        message: `time: ${time.error.issues[0]!.message}`,
      },
    };
  }
  const data = EVENT_CATALOG[type].data.safeParse(envelope.data);
  if (!data.success) {
    const issue = data.error.issues[0]!;
    const field = ['data', ...issue.path.map(String)].join('.');
    const reason =
      (issue as { params?: { reason?: string } }).params?.reason ?? DeadLetterReason.SCHEMA_VIOLATION;
    return { ok: false, error: { reason, field, message: `${field}: ${issue.message}` } };
  }
  const merchantId = (data.data as { merchantId: string }).merchantId;
  if (envelope.subject !== merchantId)
    return { ok: false, error: { reason: DeadLetterReason.SUBJECT_MISMATCH, field: 'subject' } };
  if (key !== merchantId)
    return { ok: false, error: { reason: DeadLetterReason.KEY_MISMATCH, field: 'key' } };
  return { ok: true, value: { ...envelope, data: data.data } };
}

describe('decodeEvent on the fast path', () => {
  const anEvent = anyProfileData.chain(([type, data]) =>
    fc
      .record({
        time: fc.oneof(
          instant.map((ms) => new Date(ms).toISOString()),
          validField.promisedAt!,
          wrongValue,
        ),
        otherSubject: fc.boolean(),
        otherKey: fc.boolean(),
      })
      .map(({ time, otherSubject, otherKey }) => {
        const merchantId =
          typeof data.merchantId === 'string' && data.merchantId.length > 0 ? data.merchantId : 'm-1';
        const envelope = {
          specversion: '1.0',
          id: 'e-1',
          source: '/platform/test',
          type,
          time,
          subject: otherSubject ? `${merchantId.slice(0, 60)}-2` : merchantId.slice(0, 64),
          datacontenttype: 'application/json',
          data,
        };
        return { type, value: JSON.stringify(envelope), key: otherKey ? 'm-other' : merchantId };
      }),
  );

  it('answers as the schemas do: the same event, or the same reason, field and message', () => {
    fc.assert(
      fc.property(anEvent, ({ type, value, key }) => {
        fc.pre(Buffer.byteLength(value) <= MAX_EVENT_BYTES);
        const decoded = decodeEvent({ topic: EVENT_CATALOG[type].topic, key, value });
        const expected = referenceDecode(type, value, key);
        expect(decoded).toMatchObject(expected);
        if (expected.ok) expect(decoded).toEqual(expected);
      }),
      { numRuns: 10_000 },
    );
  });
});
