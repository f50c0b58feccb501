import fc from 'fast-check';
import { canonicalJson, jsonDifferences, sameCanonicalJson, toJsonSafe } from './json-safe';

const sameByText = (a: unknown, b: unknown): boolean =>
  canonicalJson(toJsonSafe(a)) === canonicalJson(toJsonSafe(b));

/** Values toJsonSafe accepts, drawn small so that equal pairs come up often. */
const storableArbitrary = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0, 1, 'a', '1', '', '-5'),
    fc.bigInt({ min: -5n, max: 5n }),
    fc.constantFrom(2n ** 63n - 1n, '9223372036854775807'),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(
    fc.constantFrom('a', 'b', 'c', '1', '10'),
    fc.oneof(tie('value'), fc.constant(undefined)),
    { maxKeys: 4 },
  ),
})).value;

describe('JSON-safe forms', () => {
  it('writes bigint as digit strings, drops undefined, keeps the rest', () => {
    expect(
      toJsonSafe({
        amountMinor: 2n ** 63n - 1n,
        negative: -5n,
        missing: undefined,
        list: [1n, 'a', null, true],
      }),
    ).toEqual({
      amountMinor: '9223372036854775807',
      negative: '-5',
      list: ['1', 'a', null, true],
    });
  });

  it.each<[string, unknown]>([
    ['a non-finite number', { rate: Number.NaN }],
    ['a function', { run: () => 1 }],
  ])('refuses %s', (_case, value) => {
    expect(() => toJsonSafe(value)).toThrow();
  });

  it('refuses a cycle instead of looping', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => toJsonSafe(cyclic)).toThrow('nested too deeply');
  });

  it('gives one text per value, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [2, 1] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('names every path where two values differ', () => {
    expect(jsonDifferences({ a: 1, b: [1, 2], c: 'x' }, { a: 2, b: [1, 3], d: true })).toEqual([
      '$.a: expected 1, got 2',
      '$.b[1]: expected 2, got 3',
      '$.c: missing',
      '$.d: unexpected true',
    ]);
    expect(jsonDifferences({ a: 1 }, { a: 1 })).toEqual([]);
  });

  describe('sameCanonicalJson: the canonical texts compared, without the texts', () => {
    it.each<[string, unknown, unknown, boolean]>([
      ['the same object', { a: 1 }, { a: 1 }, true],
      ['keys in another order', { a: 1, b: { c: [1n, null] } }, { b: { c: [1n, null] }, a: 1 }, true],
      ['an undefined property and none', { a: 1, b: undefined }, { a: 1 }, true],
      [
        'a bigint and its digits',
        { limitMinor: 2n ** 63n - 1n },
        { limitMinor: '9223372036854775807' },
        true,
      ],
      ['-0 and 0', [-0], [0], true],
      ['null and null', null, null, true],
      ['a bigint and other digits', 5n, '6', false],
      ['a bigint and a number', 5n, 5, false],
      ['a string and a number', '5', 5, false],
      ['null and an object', null, {}, false],
      ['null and undefined property', { a: null }, { a: undefined }, false],
      ['an extra key', { a: 1 }, { a: 1, b: 2 }, false],
      ['a missing key', { a: 1, b: 2 }, { a: 1 }, false],
      ['an array and an object with its indexes', [1], { 0: 1 }, false],
      ['arrays of other lengths', [1, 2], [1], false],
      ['arrays in another order', [1, 2], [2, 1], false],
      ['nested objects that differ deep down', { a: { b: { c: 1n } } }, { a: { b: { c: 2n } } }, false],
    ])('%s', (_case, a, b, same) => {
      expect(sameByText(a, b)).toBe(same);
      expect(sameCanonicalJson(a, b)).toBe(same);
      expect(sameCanonicalJson(b, a)).toBe(same);
    });

    it('agrees with the texts on any storable values', () => {
      fc.assert(
        fc.property(storableArbitrary, storableArbitrary, (a, b) => {
          expect(sameCanonicalJson(a, b)).toBe(sameByText(a, b));
          expect(sameCanonicalJson(a, toJsonSafe(a))).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });

    it('finds a value the same as its copy with keys reversed, bigints as digits and undefined dropped', () => {
      const rewritten = (value: unknown): unknown => {
        if (typeof value === 'bigint') return value.toString();
        if (Array.isArray(value)) return value.map(rewritten);
        if (value !== null && typeof value === 'object')
          return Object.fromEntries(
            Object.entries(value)
              .filter(([, item]) => item !== undefined)
              .reverse()
              .map(([key, item]) => [key, rewritten(item)]),
          );
        return value;
      };
      fc.assert(
        fc.property(storableArbitrary, (value) => {
          expect(sameByText(value, rewritten(value))).toBe(true);
          expect(sameCanonicalJson(value, rewritten(value))).toBe(true);
          expect(sameCanonicalJson(rewritten(value), value)).toBe(true);
        }),
        { numRuns: 1_000 },
      );
    });

    it('refuses a cycle instead of looping', () => {
      const left: { self?: unknown } = {};
      left.self = left;
      const right: { self?: unknown } = {};
      right.self = right;
      expect(() => sameCanonicalJson(left, right)).toThrow('nested too deeply');
    });
  });
});
