import { businessInstant, instantOrNull } from './business-instant';

describe('businessInstant', () => {
  it.each([
    ['2026-11-11T09:31:00Z', '2026-11-11T09:31:00.000Z'],
    ['2026-11-11T17:31:00.120+08:00', '2026-11-11T09:31:00.120Z'],
    // Nanoseconds are cut to milliseconds: the journal keeps at most microseconds, the loan row milliseconds.
    ['2026-11-11T09:31:00.123456789Z', '2026-11-11T09:31:00.123Z'],
  ])('%s → %s', (raw, expected) => expect(businessInstant('time', raw)).toBe(expected));

  it('takes a Date as Postgres returns it', () => {
    expect(businessInstant('time', new Date(Date.UTC(2026, 10, 11)))).toBe('2026-11-11T00:00:00.000Z');
    expect(instantOrNull(null)).toBeNull();
  });

  it.each(['yesterday', '2026-13-45T00:00:00Z', '11/11/2026', ''])('refuses %j, naming the field', (raw) => {
    expect(() => businessInstant('requestedAt', raw)).toThrow(/requestedAt/);
  });
});
