import fc from 'fast-check';
import { z } from 'zod';
import {
  amountFieldOrUndefined,
  isCount,
  isCurrency,
  isIdentifier,
  isMerchantId,
  isTimestamp,
} from './primitive-checks';
import { AmountMinor, Count, Currency, Identifier, MerchantId, Timestamp } from './schema-primitives';

/** Values near every edge of the primitives, and a few of every other type. */
const edgyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    0,
    -0,
    1,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    2 ** 62,
    '',
    ' ',
    '0',
    '007',
    '-1',
    '+1',
    '1.5',
    '1e5',
    ' 12',
    '12 ',
    'NaN',
    'Infinity',
    '9223372036854775807',
    '9223372036854775808',
    '0000000000000000000000000009223372036854775807',
    '0'.repeat(64),
    `${'0'.repeat(63)}7`,
    `${'0'.repeat(64)}7`,
    '1'.repeat(65),
    'CNY',
    'cny',
    'CN',
    'CNYY',
    'm-000042',
    'm-{1}',
    'm 1',
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(128),
    'x'.repeat(129),
    '2026-11-11T00:00:03.120Z',
    '2026-11-11T00:00:03Z',
    '2026-11-11T08:00:03+08:00',
    '2026-02-30T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-11-11T24:00:00.000Z',
    '2026-11-11T00:00:03.1234567891Z',
    '2026-11-11 00:00:03Z',
    [],
    {},
    [1],
    { value: 1 },
    10n,
  ),
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc.stringMatching(/^[0-9]{1,25}$/),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,70}$/),
  fc.stringMatching(/^[A-Z]{2,4}$/),
  fc.integer(),
  fc.double(),
  fc.integer({ min: 0, max: 60_000 }).map((days) => new Date(days * 86_400_000 + 12_345).toISOString()),
  fc.anything(),
);

function agreesWith(schema: z.ZodType, check: (value: unknown) => boolean) {
  fc.assert(
    fc.property(edgyValue, (value) => {
      expect(check(value)).toBe(schema.safeParse(value).success);
    }),
    { numRuns: 5_000 },
  );
}

describe('the hand-written primitive checks accept exactly what their schemas accept', () => {
  it('MerchantId', () => agreesWith(MerchantId, isMerchantId));
  it('Identifier', () => agreesWith(Identifier, isIdentifier));
  it('Currency', () => agreesWith(Currency, isCurrency));
  it('Timestamp', () => agreesWith(Timestamp, isTimestamp));
  it('Count', () => agreesWith(Count, isCount));

  it('AmountMinor, with the same bigint out', () => {
    fc.assert(
      fc.property(edgyValue, (value) => {
        const reference = AmountMinor.safeParse(value);
        const fast = amountFieldOrUndefined(value);
        expect(fast === undefined).toBe(!reference.success);
        if (reference.success) expect(fast).toBe(reference.data);
      }),
      { numRuns: 5_000 },
    );
  });
});
