import fc from 'fast-check';
import type { MerchantProfile } from '@lendstream/profile';
import { profileFixture } from './profile-fixture';

const MAX_INT64 = 2n ** 63n - 1n;

/**
 * Arbitrary MerchantProfiles for property tests: the fixture with its 30-day counts, its
 * amounts (up to 2^63 − 1), tenure, silence, currency and coverage drawn at random. The 7-day
 * window is a share of the 30-day one, so windows stay nested as a real profile's do.
 */
export const profileArbitrary: fc.Arbitrary<MerchantProfile> = fc
  .record({
    paidOrders: fc.integer({ min: 0, max: 10_000 }),
    refunds: fc.integer({ min: 0, max: 2_000 }),
    cancellations: fc.integer({ min: 0, max: 2_000 }),
    shipmentsDelivered: fc.integer({ min: 0, max: 10_000 }),
    lateShare: fc.integer({ min: 0, max: 100 }),
    shipmentsReturned: fc.integer({ min: 0, max: 500 }),
    stockouts: fc.integer({ min: 0, max: 30 }),
    activeDays: fc.integer({ min: 0, max: 30 }),
    paidAmountMinor: fc.oneof(
      fc.bigInt({ min: 0n, max: 50_000_000n }),
      fc.bigInt({ min: 0n, max: MAX_INT64 / 4n }),
    ),
    refundedShare: fc.bigInt({ min: 0n, max: 100n }),
    priorMinor: fc.bigInt({ min: 0n, max: 100_000_000n }),
    weekShare: fc.integer({ min: 0, max: 100 }),
    tenureDays: fc.integer({ min: 0, max: 1_000 }),
    quietDays: fc.integer({ min: 0, max: 90 }),
    receivablesOutstandingMinor: fc.oneof(
      fc.bigInt({ min: -1_000_000n, max: 10_000_000n }),
      fc.bigInt({ min: 0n, max: MAX_INT64 }),
    ),
    inventoryValueMinor: fc.oneof(
      fc.bigInt({ min: 0n, max: 10_000_000n }),
      fc.bigInt({ min: 0n, max: MAX_INT64 }),
    ),
    stockKeepingUnitsOutOfStock: fc.integer({ min: 0, max: 10 }),
    currency: fc.constantFrom<string | null>('CNY', 'CNY', 'USD', 'EUR', null),
    windowsExact: fc.boolean(),
    overflowed: fc.constantFrom(false, false, false, true),
  })
  .map((drawn) => {
    const share = (value: number) => Math.floor((value * drawn.weekShare) / 100);
    const month = {
      paidOrders: drawn.paidOrders,
      refunds: drawn.refunds,
      cancellations: drawn.cancellations,
      shipmentsDelivered: drawn.shipmentsDelivered,
      shipmentsDeliveredLate: Math.floor((drawn.shipmentsDelivered * drawn.lateShare) / 100),
      shipmentsReturned: Math.min(drawn.shipmentsReturned, drawn.shipmentsDelivered),
      stockouts: drawn.stockouts,
      activeDays: drawn.activeDays,
      paidAmountMinor: drawn.paidAmountMinor,
      refundedAmountMinor: (drawn.paidAmountMinor * drawn.refundedShare) / 100n,
    };
    return profileFixture({
      tenureDays: drawn.tenureDays,
      quietDays: drawn.quietDays,
      currency: drawn.currency,
      month,
      week: {
        paidOrders: share(month.paidOrders),
        refunds: share(month.refunds),
        stockouts: share(month.stockouts),
        activeDays: Math.min(7, share(month.activeDays)),
        paidAmountMinor: (month.paidAmountMinor * BigInt(drawn.weekShare)) / 100n,
      },
      quarter: {
        paidAmountMinor: month.paidAmountMinor + drawn.priorMinor,
        refunds: month.refunds,
        stockouts: month.stockouts,
      },
      receivablesOutstandingMinor: drawn.receivablesOutstandingMinor,
      inventoryValueMinor: drawn.inventoryValueMinor,
      stockKeepingUnitsOutOfStock: drawn.stockKeepingUnitsOutOfStock,
      coverage: { windowsExact: drawn.windowsExact, overflowed: drawn.overflowed },
    });
  });
