/**
 * Timestamps on the hot path. Every event carries at least one (`time`), shipments three,
 * and each is both validated on decode and read as an instant by the profile. Almost all of
 * them are in one canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ` (what `toISOString()` writes),
 * or the same without the fraction; those are read here with a little arithmetic. Anything
 * else goes to `Date.parse`, so the answer is always exactly `Date.parse`'s
 * (timestamp.spec.ts checks it against `Date.parse` on generated strings).
 */

const DIGIT_0 = 0x30;
const MS_PER_DAY = 86_400_000;

/**
 * The value of the digit at `index`, or a number above 9 for any other character: the
 * subtraction is read unsigned, so characters below '0' wrap far above 9, and charCodeAt
 * past the end (NaN) becomes 0 - 48, which wraps too.
 */
const digitOrAbove9At = (text: string, index: number): number => (text.charCodeAt(index) - DIGIT_0) >>> 0;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Milliseconds since the epoch of a canonical UTC timestamp whose every field is in a range
 * valid in every month (days up to 28), or NaN when `text` is not one: the caller then asks
 * `Date.parse`, which knows every other case.
 */
function canonicalUtcMs(text: string): number {
  const length = text.length;
  const withFraction = length === 24;
  if (!withFraction && length !== 20) return Number.NaN;
  if (
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(length - 1) !== 0x5a || // Z
    (withFraction && text.charCodeAt(19) !== 0x2e) // .
  )
    return Number.NaN;
  // Every digit read first, then checked at once: this runs for every timestamp of every event.
  const year0 = digitOrAbove9At(text, 0);
  const year1 = digitOrAbove9At(text, 1);
  const year2 = digitOrAbove9At(text, 2);
  const year3 = digitOrAbove9At(text, 3);
  const month0 = digitOrAbove9At(text, 5);
  const month1 = digitOrAbove9At(text, 6);
  const day0 = digitOrAbove9At(text, 8);
  const day1 = digitOrAbove9At(text, 9);
  const hour0 = digitOrAbove9At(text, 11);
  const hour1 = digitOrAbove9At(text, 12);
  const minute0 = digitOrAbove9At(text, 14);
  const minute1 = digitOrAbove9At(text, 15);
  const second0 = digitOrAbove9At(text, 17);
  const second1 = digitOrAbove9At(text, 18);
  if (
    year0 > 9 ||
    year1 > 9 ||
    year2 > 9 ||
    year3 > 9 ||
    month0 > 9 ||
    month1 > 9 ||
    day0 > 9 ||
    day1 > 9 ||
    hour0 > 9 ||
    hour1 > 9 ||
    minute0 > 9 ||
    minute1 > 9 ||
    second0 > 9 ||
    second1 > 9
  )
    return Number.NaN;
  let millisecond = 0;
  if (withFraction) {
    const hundreds = digitOrAbove9At(text, 20);
    const tens = digitOrAbove9At(text, 21);
    const ones = digitOrAbove9At(text, 22);
    if (hundreds > 9 || tens > 9 || ones > 9) return Number.NaN;
    millisecond = hundreds * 100 + tens * 10 + ones;
  }
  const month = month0 * 10 + month1;
  const day = day0 * 10 + day1;
  const hour = hour0 * 10 + hour1;
  const minute = minute0 * 10 + minute1;
  const second = second0 * 10 + second1;
  if (month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59)
    return Number.NaN;
  const days = daysFromCivil(year0 * 1000 + year1 * 100 + year2 * 10 + year3, month, day);
  return days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** Exactly `Date.parse(text)`, faster for the canonical form. */
export function timestampMs(text: string): number {
  const canonical = canonicalUtcMs(text);
  return Number.isNaN(canonical) ? Date.parse(text) : canonical;
}

/** Whether `text` is in the canonical form with every field valid (then it is also a valid RFC 3339 timestamp). */
export const isCanonicalUtcTimestamp = (text: string): boolean => !Number.isNaN(canonicalUtcMs(text));
