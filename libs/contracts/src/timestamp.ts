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

/** A digit's value, or -1 for any other character (charCodeAt past the end is NaN: also -1). */
function digitAt(text: string, index: number): number {
  const value = text.charCodeAt(index) - DIGIT_0;
  return value >= 0 && value <= 9 ? value : -1;
}

/** The two-digit number at `index`, or -1. */
function twoDigitsAt(text: string, index: number): number {
  const tens = digitAt(text, index);
  const ones = digitAt(text, index + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

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
  const withFraction = text.length === 24;
  if (!withFraction && text.length !== 20) return Number.NaN;
  if (
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(text.length - 1) !== 0x5a || // Z
    (withFraction && text.charCodeAt(19) !== 0x2e) // .
  )
    return Number.NaN;
  const century = twoDigitsAt(text, 0);
  const yearOfCentury = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  const second = twoDigitsAt(text, 17);
  let millisecond = 0;
  if (withFraction) {
    const hundreds = digitAt(text, 20);
    const tens = digitAt(text, 21);
    const ones = digitAt(text, 22);
    if (hundreds < 0 || tens < 0 || ones < 0) return Number.NaN;
    millisecond = hundreds * 100 + tens * 10 + ones;
  }
  if (
    century < 0 ||
    yearOfCentury < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  )
    return Number.NaN;
  const days = daysFromCivil(century * 100 + yearOfCentury, month, day);
  return days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** Exactly `Date.parse(text)`, faster for the canonical form. */
export function timestampMs(text: string): number {
  const canonical = canonicalUtcMs(text);
  return Number.isNaN(canonical) ? Date.parse(text) : canonical;
}

/** Whether `text` is in the canonical form with every field valid (then it is also a valid RFC 3339 timestamp). */
export const isCanonicalUtcTimestamp = (text: string): boolean => !Number.isNaN(canonicalUtcMs(text));
