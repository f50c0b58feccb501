import type { MerchantProfile } from '@lendstream/profile';
import type { ReferenceProfile, ReferenceWindow } from './reference-profile';

/** The store's profile in the reference's shape, so the two compare with one toEqual. */
export function comparableProfile(profile: MerchantProfile): ReferenceProfile {
  const windowOf = (days: 1 | 7 | 30 | 90): ReferenceWindow => {
    const window = profile.windows[days];
    return {
      paidAmountMinor: window.paidAmountMinor,
      paidOrders: window.paidOrders,
      refundedAmountMinor: window.refundedAmountMinor,
      refunds: window.refunds,
      cancellations: window.cancellations,
      settledAmountMinor: window.settledAmountMinor,
      stockouts: window.stockouts,
      shipmentsDispatched: window.shipmentsDispatched,
      shipmentsDelivered: window.shipmentsDelivered,
      shipmentsDeliveredOnTime: window.shipmentsDeliveredOnTime,
      shipmentsDeliveredLate: window.shipmentsDeliveredLate,
      shipmentsReturned: window.shipmentsReturned,
      activeDays: window.activeDays,
      refundRateBasisPoints: window.rates.refundRate.basisPoints,
      cancelRateBasisPoints: window.rates.cancelRate.basisPoints,
      onTimeDeliveryRateBasisPoints: window.rates.onTimeDeliveryRate.basisPoints,
    };
  };
  return {
    currency: profile.currency,
    firstSeenAt: profile.firstSeenAt,
    newestEventAt: profile.newestEventAt,
    windows: { 1: windowOf(1), 7: windowOf(7), 30: windowOf(30), 90: windowOf(90) },
    receivablesOutstandingMinor: profile.receivablesOutstandingMinor,
    inventory: { ...profile.inventory },
    stockKeepingUnitsOutOfStock: profile.stockKeepingUnitsOutOfStock,
  };
}
