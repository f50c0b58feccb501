import { emptyProfileState, readWindows } from '@lendstream/profile';
import { profileAsOf, profileView, ProfileViewSchema } from './profile-view';

describe('profileAsOf', () => {
  it('is the later of the clock and the newest event', () => {
    expect(profileAsOf(1_000, 2_000).getTime()).toBe(2_000);
    expect(profileAsOf(3_000, 2_000).getTime()).toBe(3_000);
  });
});

describe('profileView', () => {
  it('gives every window shortest first, sums beyond 2^53 and negative receivables as exact strings', () => {
    const state = emptyProfileState('m-1', Date.parse('2026-11-01T10:00:00Z'));
    const profile = readWindows(state, new Date('2026-11-02T00:00:00Z'));
    const view = profileView({
      ...profile,
      receivablesOutstandingMinor: -1_200n,
      inventory: { valueMinor: 9_007_199_254_740_993n, onHandUnits: 3n, warehouses: 1 },
    });
    expect(view.windows.map((window) => window.windowDays)).toEqual([1, 7, 30, 90]);
    expect(view.windows[0]).toMatchObject({ paidAmountMinor: '0', paidOrders: 0, throughDay: '2026-11-02' });
    expect(view.windows[0]!.rates.refundRate).toEqual({
      numerator: '0',
      denominator: '0',
      basisPoints: null,
    });
    expect(view.receivablesOutstandingMinor).toBe('-1200');
    expect(view.inventory).toEqual({ valueMinor: '9007199254740993', onHandUnits: '3', warehouses: 1 });
    expect(view.coverage.appliedPositions).toEqual({ orders: null, warehouse: null, logistics: null });
    // JSON-safe, and what the OpenAPI document says it is.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(ProfileViewSchema.safeParse(view).success).toBe(true);
  });
});
