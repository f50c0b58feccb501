import { canonicalJson, jsonDifferences, toJsonSafe } from './json-safe';

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
});
