import { encodeProfileSnapshot, JsonValue } from '@lendstream/credit';
import type { MerchantProfile, WindowTotals } from '@lendstream/profile';
import { profileFixture } from '../../libs/credit/src/testing/profile-fixture';
import { asOfDayWasComplete, settledDays, withStoredLatestState } from './as-of-features';

const profile = profileFixture({ quietDays: 0 });
const plusRefund = (window: WindowTotals): WindowTotals => ({
  ...window,
  refunds: window.refunds + 1,
  refundedAmountMinor: window.refundedAmountMinor + 500n,
});
/** One more refund, dated in the given windows only (1: asOf's day; 30 and 90 only: an earlier day). */
const withRefundIn = (days: readonly (1 | 7 | 30 | 90)[]): MerchantProfile => ({
  ...profile,
  windows: {
    1: days.includes(1) ? plusRefund(profile.windows[1]) : profile.windows[1],
    7: days.includes(7) ? plusRefund(profile.windows[7]) : profile.windows[7],
    30: days.includes(30) ? plusRefund(profile.windows[30]) : profile.windows[30],
    90: days.includes(90) ? plusRefund(profile.windows[90]) : profile.windows[90],
  },
  receivablesOutstandingMinor: profile.receivablesOutstandingMinor - 500n,
});

describe('older decisions against a rebuilt profile', () => {
  it.each<[string, string, boolean]>([
    ['a later day: the day of asOf was complete', '2026-12-01T00:00:00.000Z', true],
    ['the same day, later: it may still have been arriving', '2026-11-30T23:59:59.999Z', false],
    ['asOf itself', '2026-11-30T12:00:00.000Z', false],
  ])('newest event on %s', (_case, newestEventAt, complete) => {
    expect(asOfDayWasComplete({ ...profile, newestEventAt })).toBe(complete);
  });

  it("compares the days before asOf's: events of asOf's own day do not count, earlier ones do", () => {
    expect(settledDays(withRefundIn([1, 7, 30, 90]))).toEqual(settledDays(profile));
    expect(settledDays(withRefundIn([30, 90]))).not.toEqual(settledDays(profile));
    expect(settledDays(withRefundIn([7, 30, 90]))).not.toEqual(settledDays(profile));
  });

  it('takes every latest-state field from the stored features, and only those', () => {
    const stored = encodeProfileSnapshot(profile) as { [key: string]: JsonValue };
    const rebuilt = encodeProfileSnapshot({
      ...withRefundIn([30, 90]),
      newestEventAt: '2026-12-20T00:00:00.000Z',
      stockKeepingUnitsOutOfStock: 4,
      inventory: { valueMinor: 1n, onHandUnits: 1n, warehouses: 2 },
      coverage: { ...profile.coverage, windowsExact: false },
    }) as { [key: string]: JsonValue };
    const merged = withStoredLatestState(stored, rebuilt) as { [key: string]: JsonValue };
    for (const field of ['newestEventAt', 'stockKeepingUnitsOutOfStock', 'inventory', 'coverage'])
      expect(merged[field]).toEqual(stored[field]);
    expect(merged.windows).toEqual(rebuilt.windows);
    expect(merged.receivablesOutstandingMinor).toEqual(rebuilt.receivablesOutstandingMinor);
  });
});
