import { canonicalInstant, instantProblem, isRfc3339DateTime } from './instant';

describe('isRfc3339DateTime', () => {
  it.each([
    '2026-05-01T00:00:00Z',
    '2026-05-01T23:59:59.999Z',
    '2026-05-01T08:30:00+08:00',
    '2026-05-01T08:30:00.123456789-05:30',
    '2028-02-29T12:00:00Z',
    '2026-12-31T23:59:59Z',
  ])('accepts %s', (value) => {
    expect(isRfc3339DateTime(value)).toBe(true);
  });

  it.each([
    ['a date alone', '2026-05-01'],
    ['no offset', '2026-05-01T00:00:00'],
    ['a space for T', '2026-05-01 00:00:00Z'],
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2026-02-29T00:00:00Z'],
    ['31 April', '2026-04-31T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['day 0', '2026-05-00T00:00:00Z'],
    ['hour 24', '2026-05-01T24:00:00Z'],
    ['minute 60', '2026-05-01T00:60:00Z'],
    ['a leap second', '2026-06-30T23:59:60Z'],
    ['an offset of 24 hours', '2026-05-01T00:00:00+24:00'],
    ['ten fraction digits', '2026-05-01T00:00:00.1234567890Z'],
    ['a trailing space', '2026-05-01T00:00:00Z '],
  ])('refuses %s', (_label, value) => {
    expect(isRfc3339DateTime(value)).toBe(false);
  });
});

describe('canonicalInstant', () => {
  it.each([
    ['UTC, whole seconds', '2026-05-01T00:30:00Z', '2026-05-01T00:30:00.000000Z'],
    ['milliseconds', '2026-05-01T00:30:00.123Z', '2026-05-01T00:30:00.123000Z'],
    ['microseconds', '2026-05-01T00:30:00.000001Z', '2026-05-01T00:30:00.000001Z'],
    ['a positive offset', '2026-05-01T08:30:00.5+08:00', '2026-05-01T00:30:00.500000Z'],
    ['a negative offset across midnight', '2026-04-30T19:30:00-05:00', '2026-05-01T00:30:00.000000Z'],
    ['an offset across a year', '2027-01-01T07:59:59.999999+08:00', '2026-12-31T23:59:59.999999Z'],
  ])('spells %s as UTC with six fraction digits', (_label, value, canonical) => {
    expect(canonicalInstant(value)).toBe(canonical);
  });

  it('gives every spelling of one instant the same canonical form', () => {
    const spellings = [
      '2026-05-01T00:00:00Z',
      '2026-05-01T00:00:00.000Z',
      '2026-05-01T08:00:00+08:00',
      '2026-04-30T23:00:00.000000-01:00',
    ];
    expect(new Set(spellings.map(canonicalInstant)).size).toBe(1);
  });

  it.each([
    ['not RFC 3339', '2026-05-01', /is not an RFC 3339 date-time/],
    ['finer than Postgres keeps', '2026-05-01T00:00:00.1234567Z', /7 fraction digits; Postgres keeps 6/],
  ])('throws RangeError on a value %s', (_label, value, message) => {
    expect(() => canonicalInstant(value)).toThrow(RangeError);
    expect(() => canonicalInstant(value)).toThrow(message);
  });

  it('says why a value is not a business time, or null', () => {
    expect(instantProblem('2026-05-01T00:00:00Z')).toBeNull();
    expect(instantProblem(undefined)).toMatch(/not an RFC 3339/);
    expect(instantProblem(1_777_000_000_000)).toMatch(/not an RFC 3339/);
  });
});
