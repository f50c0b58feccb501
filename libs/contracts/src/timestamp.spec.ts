import fc from 'fast-check';
import { isCanonicalUtcTimestamp, timestampMs } from './timestamp';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Timestamp-shaped strings with every field drawn past its valid range too (month 13, day 31 of February, hour 24…). */
const timestampShaped = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 19 }),
    day: fc.integer({ min: 0, max: 39 }),
    hour: fc.integer({ min: 0, max: 29 }),
    minute: fc.integer({ min: 0, max: 69 }),
    second: fc.integer({ min: 0, max: 69 }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,9}$/), fc.constant('.000')),
    zone: fc.oneof(
      fc.constant('Z'),
      fc.constant('Z'),
      fc.constantFrom('z', '+00:00', '-00:00', '+08:00', '-01:30', '+14:00', '+24:00', ' Z', ''),
    ),
    separator: fc.constantFrom('T', 'T', 'T', 't', ' '),
  })
  .map(
    ({ year, month, day, hour, minute, second, fraction, zone, separator }) =>
      `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${separator}${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}${zone}`,
  );

/** Real instants as toISOString writes them, from 1970 to 2200. */
const isoOfInstants = fc
  .integer({ min: 0, max: Date.UTC(2200, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

/** A valid timestamp with one character replaced: digits out of place, wrong separators. */
const corrupted = fc
  .tuple(isoOfInstants, fc.nat(), fc.constantFrom('x', '-', ':', 'T', 'Z', '.', '9', '0', ' ', '\u0660'))
  .map(([text, at, character]) => {
    const index = at % text.length;
    return text.slice(0, index) + character + text.slice(index + 1);
  });

describe('timestampMs', () => {
  it('is exactly Date.parse, for timestamp-shaped, real, corrupted and arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(timestampShaped, isoOfInstants, corrupted, fc.string({ maxLength: 30 })),
        (text) => {
          expect(Object.is(timestampMs(text), Date.parse(text))).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2026-11-11T00:00:03.120Z', Date.UTC(2026, 10, 11, 0, 0, 3, 120)],
    ['2026-11-11T23:59:59Z', Date.UTC(2026, 10, 11, 23, 59, 59)],
    ['1970-01-01T00:00:00.000Z', 0],
    ['2024-02-28T12:00:00.000Z', Date.UTC(2024, 1, 28, 12)],
    ['0001-03-01T00:00:00.000Z', Date.parse('0001-03-01T00:00:00.000Z')],
  ])('reads the canonical %s', (text, expected) => {
    expect(isCanonicalUtcTimestamp(text)).toBe(true);
    expect(timestampMs(text)).toBe(expected);
  });

  it.each([
    '2026-02-29T00:00:00.000Z', // day 29 and later: left to Date.parse, which knows month lengths
    '2026-11-11T24:00:00.000Z',
    '2026-11-11T10:00:00+08:00',
    '2026-11-11T10:00:00.1234Z',
    '2026-11-11t10:00:00.000Z',
  ])('leaves %s to Date.parse, with the same answer', (text) => {
    expect(isCanonicalUtcTimestamp(text)).toBe(false);
    expect(Object.is(timestampMs(text), Date.parse(text))).toBe(true);
  });
});
