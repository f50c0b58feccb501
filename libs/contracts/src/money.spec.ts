import { formatAmountMinor, parseAmountMinor } from './money';

describe('parseAmountMinor', () => {
  it.each([
    ['0', 0n],
    ['12345', 12345n],
    ['007', 7n],
    [42, 42n],
    [0, 0n],
    [Number.MAX_SAFE_INTEGER, 9007199254740991n],
    ['9223372036854775807', 9223372036854775807n],
  ])('accepts %p as %p', (raw, expected) => {
    expect(parseAmountMinor(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['-1', 'negative'],
    [-1, 'negative'],
    ['1.5', 'fractional'],
    [1.5, 'fractional'],
    ['NaN', 'not a number'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'not finite'],
    ['1e3', 'exponent'],
    ['1.2E+5', 'exponent'],
    ['9223372036854775808', '2^63'],
    ['123456789012345678901234567890', '2^63'],
    [2 ** 60, 'beyond 2^53'],
    ['', 'empty'],
    ['12a', 'decimal digits'],
    [' 12', 'decimal digits'],
    [null, 'null'],
    [true, 'boolean'],
    [{}, 'object'],
  ])('rejects %p (%s)', (raw, fragment) => {
    const result = parseAmountMinor(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(fragment);
  });

  it('formats bigint amounts as digit strings and refuses out-of-range ones', () => {
    expect(formatAmountMinor(1234n)).toBe('1234');
    expect(() => formatAmountMinor(-1n)).toThrow(RangeError);
  });
});
