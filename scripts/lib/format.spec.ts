import { formatBasisPoints, formatMoney } from './format';

describe('formatMoney', () => {
  it.each([
    [0n, 'CNY', '¥0.00'],
    [5n, 'CNY', '¥0.05'],
    [123456n, 'CNY', '¥1,234.56'],
    [-123456n, 'USD', '-$1,234.56'],
    [9223372036854775807n, 'CNY', '¥92,233,720,368,547,758.07'],
  ])('%p %s → %s', (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });
});

describe('formatBasisPoints', () => {
  it.each([
    [null, '—'],
    [0, '0.0%'],
    [1234, '12.3%'],
    [10_000, '100.0%'],
    [9, '0.0%'],
  ])('%p → %s', (basisPoints, expected) => {
    expect(formatBasisPoints(basisPoints)).toBe(expected);
  });
});
