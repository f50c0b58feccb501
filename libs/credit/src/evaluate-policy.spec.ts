import { CREDIT_POLICY_V1, CREDIT_POLICY_V2_CHALLENGER } from './default-policy';
import { evaluateCredit } from './evaluate-policy';
import { assess, codesOf } from './testing/assess';
import { FIXTURE_AS_OF, profileFixture, ProfileFixtureOverrides } from './testing/profile-fixture';

describe('evaluateCredit', () => {
  it('grants a healthy merchant an A line sized on its receivables and inventory', () => {
    const assessment = assess();
    expect(assessment).toMatchObject({
      merchantId: 'm-000042',
      policyVersion: 'v1',
      profileAsOf: FIXTURE_AS_OF,
      currency: 'CNY',
      profileComplete: true,
      eligible: true,
      score: 864,
      grade: 'A',
      dailyRateBps: 2,
    });
    // 2 000 000 × 80 % + 3 000 000 × 35 % = 2 650 000, under the GMV cap (3 480 000) and A's cap.
    expect(assessment.offer).toMatchObject({ limitMinor: 2_650_000n, grade: 'A' });
    expect(codesOf(assessment.reasons)).toEqual(['LIMIT_BY_BORROWING_BASE']);
  });

  it.each<[string, ProfileFixtureOverrides, string]>([
    ['no currency yet', { currency: null }, 'no currency yet'],
    ['windows not exact', { coverage: { windowsExact: false } }, 'windows are not exact'],
    ['receivables not exact', { coverage: { receivablesExact: false } }, 'receivables are not exact'],
    ['an overflowed sum', { coverage: { overflowed: true } }, 'must be rebuilt'],
  ])('fails closed on an untrusted profile: %s', (_case, overrides, message) => {
    const assessment = assess(overrides);
    expect(assessment.profileComplete).toBe(false);
    expect(assessment.eligible).toBe(false);
    expect(assessment.declines[0]).toMatchObject({ code: 'PROFILE_INCOMPLETE' });
    expect(assessment.declines[0]!.message).toContain(message);
  });

  it('fires no profile trigger from an untrusted profile, but still an overdue loan', () => {
    const untrusted = { coverage: { overflowed: true }, stockKeepingUnitsOutOfStock: 9 };
    expect(assess(untrusted).freezeTriggers).toEqual([]);
    expect(codesOf(assess(untrusted, { lending: { hasOverdueLoan: true } }).freezeTriggers)).toEqual([
      'OVERDUE_LOAN',
    ]);
  });

  it('declines a currency the policy does not lend in, with no sizing', () => {
    const assessment = assess({ currency: 'EUR' });
    expect(codesOf(assessment.declines)).toEqual(['CURRENCY_NOT_SUPPORTED']);
    expect(assessment.profileComplete).toBe(true);
    expect(assessment.sizing).toBeNull();
    expect(assessment.offer).toBeNull();
  });

  it("sizes in the merchant's own currency", () => {
    expect(assess({ currency: 'USD' }).offer).toMatchObject({
      limitMinor: 2_650_000n,
      gradeCapMinor: 15_000_000n,
    });
  });

  it('declines a merchant inside every rule whose score is too low overall', () => {
    const assessment = assess({
      month: { refunds: 36, shipmentsDeliveredLate: 46, shipmentsReturned: 23, stockouts: 5 },
      week: { stockouts: 0, refunds: 0 },
    });
    expect(assessment.score).toBe(310); // 1 000 − 200 − 150 − 100 − 200 − 40 (cancellations)
    expect(codesOf(assessment.declines)).toEqual(['SCORE_TOO_LOW']);
  });

  it('flags a merchant silent for 60 days for closing, not 59', () => {
    expect(assess({ quietDays: 59 }).silence).toBeNull();
    expect(assess({ quietDays: 60 }).silence).toMatchObject({
      code: 'MERCHANT_SILENT',
      message: 'no event for 60 days (closes after 60)',
    });
  });

  it('lists triggers first, then declines, then silence; the sizing reason only when eligible', () => {
    const assessment = assess({ tenureDays: 10, quietDays: 60, stockKeepingUnitsOutOfStock: 3 });
    expect(codesOf(assessment.reasons)).toEqual([
      'STOCKOUT_RATE_HIGH',
      'TENURE_TOO_SHORT',
      'MERCHANT_SILENT',
    ]);
  });

  it('is pure: the same inputs give the same assessment, and the profile is not touched', () => {
    const profile = Object.freeze(profileFixture());
    const context = { now: FIXTURE_AS_OF };
    expect(evaluateCredit(profile, CREDIT_POLICY_V1, context)).toEqual(
      evaluateCredit(profile, CREDIT_POLICY_V1, context),
    );
  });

  it('runs the challenger on the same profile, for shadow decisions', () => {
    // 45 days old: 30 days at 120 000 a day, and 16 traded days before them at the same pace.
    const young = { tenureDays: 45, quarter: { paidAmountMinor: 5_520_000n } };
    expect(assess(young).eligible).toBe(true);
    expect(codesOf(assess(young, { policy: CREDIT_POLICY_V2_CHALLENGER }).declines)).toEqual([
      'TENURE_TOO_SHORT',
    ]);
    // 1.5× GMV, 75 % receivables, 30 % inventory: 1 500 000 + 900 000.
    expect(assess({}, { policy: CREDIT_POLICY_V2_CHALLENGER }).offer?.limitMinor).toBe(2_400_000n);
  });
});
