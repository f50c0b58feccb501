import {
  daysPastDue,
  DelinquencyBucket,
  delinquencyBucketOf,
  isNewOverdueBucket,
  isWriteOffDue,
} from './delinquency';
import { LENDING_POLICY_V1 } from './lending-policy';

const DUE_AT = '2026-12-11T23:59:59.999Z';

describe('daysPastDue', () => {
  it.each<[string, string, number]>([
    ['long before the due day', '2026-11-11T09:31:00.000Z', 0],
    ['on the due day, first millisecond', '2026-12-11T00:00:00.000Z', 0],
    ['at the due instant itself', DUE_AT, 0],
    ['the next midnight', '2026-12-12T00:00:00.000Z', 1],
    ['late on the next day', '2026-12-12T23:59:59.999Z', 1],
    ['thirty days on', '2027-01-10T12:00:00.000Z', 30],
    ['thirty-one days on', '2027-01-11T00:00:00.000Z', 31],
    ['ninety days on', '2027-03-11T00:00:00.000Z', 90],
    // A zone offset does not move the count: both instants are read as UTC days.
    ['the next UTC day written in +08:00', '2026-12-12T08:00:00+08:00', 1],
    ['still the due UTC day written in +08:00', '2026-12-12T07:59:59+08:00', 0],
  ])('%s → %i', (_case, now, expected) => {
    expect(daysPastDue(DUE_AT, now)).toBe(expected);
  });

  it('refuses instants that do not parse', () => {
    expect(() => daysPastDue('soon', '2026-12-12T00:00:00.000Z')).toThrow('dueAt is not an RFC 3339 instant');
  });
});

describe('delinquency buckets', () => {
  it.each<[number, DelinquencyBucket]>([
    [0, 'CURRENT'],
    [1, 'DPD_1_30'],
    [30, 'DPD_1_30'],
    [31, 'DPD_31_60'],
    [60, 'DPD_31_60'],
    [61, 'DPD_61_90'],
    [90, 'DPD_61_90'],
    [91, 'DPD_90_PLUS'],
    [10_000, 'DPD_90_PLUS'],
  ])('%i days past due → %s', (days, bucket) => {
    expect(delinquencyBucketOf(days)).toBe(bucket);
  });

  it.each([[-1], [1.5], [Number.NaN]])('refuses %s days', (days) => {
    expect(() => delinquencyBucketOf(days)).toThrow('days past due must be a whole number >= 0');
  });

  it.each<[DelinquencyBucket, DelinquencyBucket, boolean]>([
    ['CURRENT', 'CURRENT', false],
    ['DPD_1_30', 'CURRENT', true],
    ['DPD_1_30', 'DPD_1_30', false],
    ['DPD_31_60', 'DPD_1_30', true],
    ['DPD_61_90', 'CURRENT', true], // skipped buckets after downtime: reported once, for where it is now
    ['DPD_1_30', 'DPD_31_60', false], // never "back" to a milder bucket
  ])('entering %s after reporting %s is news: %s', (bucket, reported, news) => {
    expect(isNewOverdueBucket(bucket, reported)).toBe(news);
  });
});

describe('write-off', () => {
  it.each<[number, boolean]>([
    [0, false],
    [89, false],
    [90, true],
    [91, true],
  ])('at %i days past due (policy 90): %s', (days, due) => {
    expect(isWriteOffDue(days, LENDING_POLICY_V1)).toBe(due);
  });

  it('follows the policy', () => {
    expect(isWriteOffDue(90, { ...LENDING_POLICY_V1, writeOffDaysPastDue: 120 })).toBe(false);
    expect(isWriteOffDue(120, { ...LENDING_POLICY_V1, writeOffDaysPastDue: 120 })).toBe(true);
  });
});
