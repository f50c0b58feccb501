import {
  addDays,
  businessDayOf,
  dayOfEpochDay,
  daysBetween,
  endOfDay,
  epochDayOf,
  instantMs,
  laterInstant,
} from './business-day';

describe('business days (UTC calendar days)', () => {
  it.each<[string, string]>([
    ['2026-11-11T00:00:00.000Z', '2026-11-11'],
    ['2026-11-11T23:59:59.999Z', '2026-11-11'],
    ['2026-11-12T00:00:00.000Z', '2026-11-12'],
    // 02:00 in Beijing is still the previous day in UTC: the convention is UTC, not the merchant's zone.
    ['2026-11-12T02:00:00+08:00', '2026-11-11'],
    ['2026-11-11T20:00:00-05:00', '2026-11-12'],
    ['2028-02-29T12:00:00Z', '2028-02-29'],
  ])('%s falls on %s', (instant, day) => {
    expect(businessDayOf(instant)).toBe(day);
  });

  it.each<[string, number, string]>([
    ['2026-11-11', 30, '2026-12-11'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-11-11', -1, '2026-11-10'],
    ['2026-11-11', 0, '2026-11-11'],
  ])('%s plus %i days is %s', (day, days, expected) => {
    expect(addDays(day, days)).toBe(expected);
    expect(daysBetween(day, expected)).toBe(days);
  });

  it('numbers days from the epoch and back', () => {
    expect(epochDayOf('1970-01-01')).toBe(0);
    expect(epochDayOf('1970-01-02')).toBe(1);
    expect(dayOfEpochDay(epochDayOf('2026-11-11'))).toBe('2026-11-11');
  });

  it('ends a day at its last millisecond', () => {
    expect(endOfDay('2026-12-11')).toBe('2026-12-11T23:59:59.999Z');
    expect(businessDayOf(endOfDay('2026-12-11'))).toBe('2026-12-11');
  });

  it.each<[string]>([
    ['2026-02-30'],
    ['2026-13-01'],
    ['2026-1-01'],
    ['20261101'],
    [''],
    ['2026-11-11T00:00:00Z'],
  ])('refuses %j as a day', (day) => {
    expect(() => epochDayOf(day)).toThrow(RangeError);
  });

  it('refuses an instant that does not parse', () => {
    expect(() => instantMs('now', 'yesterday')).toThrow('now is not an RFC 3339 instant: yesterday');
    expect(() => businessDayOf('not a time')).toThrow(RangeError);
  });

  it('refuses a day number that is not whole', () => {
    expect(() => dayOfEpochDay(1.5)).toThrow('not a whole day number');
  });

  it.each<[string, string, string]>([
    ['2026-11-11T09:30:00.000Z', '2026-11-11T09:31:00.000Z', '2026-11-11T09:31:00.000Z'],
    ['2026-11-11T09:31:00.000Z', '2026-11-11T09:30:00.000Z', '2026-11-11T09:31:00.000Z'],
    // Equal instants keep the first string as given.
    ['2026-11-11T17:30:00+08:00', '2026-11-11T09:30:00.000Z', '2026-11-11T17:30:00+08:00'],
  ])('the later of %s and %s is %s', (first, second, later) => {
    expect(laterInstant(first, second)).toBe(later);
  });
});
