import { bucketSql } from './review-loans';

describe('bucketSql', () => {
  it('is generated from delinquencyBucketOf: each bucket from its first day, worst first', () => {
    expect(bucketSql('dpd')).toBe(
      "(CASE WHEN dpd >= 91 THEN 'DPD_90_PLUS' WHEN dpd >= 61 THEN 'DPD_61_90' WHEN dpd >= 31 THEN 'DPD_31_60' " +
        "WHEN dpd >= 1 THEN 'DPD_1_30' WHEN dpd >= 0 THEN 'CURRENT' ELSE 'CURRENT' END)",
    );
  });
});
