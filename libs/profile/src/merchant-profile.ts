import { ProfileWindowDays } from './profile-retention';
import { AppliedPosition, ProfileSource } from './profile-state';
import { Ratio } from './ratio';

/** Totals over one rolling window of whole event-time days, ending with the day of `asOf`. */
export interface WindowTotals {
  readonly windowDays: ProfileWindowDays;
  /** First and last UTC day of the window, `YYYY-MM-DD`, inclusive. */
  readonly fromDay: string;
  readonly throughDay: string;
  readonly paidAmountMinor: bigint;
  readonly paidOrders: number;
  readonly refundedAmountMinor: bigint;
  readonly refunds: number;
  readonly cancellations: number;
  readonly settledAmountMinor: bigint;
  readonly stockouts: number;
  readonly shipmentsDispatched: number;
  readonly shipmentsDelivered: number;
  /** Delivered with deliveredAt <= promisedAt. */
  readonly shipmentsDeliveredOnTime: number;
  readonly shipmentsDeliveredLate: number;
  readonly shipmentsReturned: number;
  /** Days in the window with at least one event of any kind. */
  readonly activeDays: number;
  readonly rates: WindowRates;
}

export interface WindowRates {
  /** Refunds per paid order (counts). */
  readonly refundRate: Ratio;
  /** Refunded amount per paid amount. */
  readonly refundAmountRate: Ratio;
  /** Cancellations per order that ended paid or cancelled: cancellations / (paid orders + cancellations). */
  readonly cancelRate: Ratio;
  /** Deliveries on or before their promise, per delivery. */
  readonly onTimeDeliveryRate: Ratio;
  /** Returns per delivery. */
  readonly returnRate: Ratio;
}

/**
 * How far the profile can be trusted. The underwriter must fail closed: no line is raised
 * from a profile that is missing (the store returns null), overflowed, or not exact for the
 * instant it is read as of. Tenure comes from `firstSeenAt`; `appliedPositions` tells a
 * profile rebuilt from the topics' beginning from one that started mid-stream.
 */
export interface ProfileCoverage {
  /** Every window was computed from whole day records (asOf is not so old that its days were folded into the carry). */
  readonly windowsExact: boolean;
  /** The receivable counts exactly the events dated up to asOf's day. */
  readonly receivablesExact: boolean;
  /** A sum passed what the store holds exactly; the profile must not be used until rebuilt. */
  readonly overflowed: boolean;
  readonly appliedPositions: Readonly<Record<ProfileSource, AppliedPosition | null>>;
}

/** What the underwriter reads: one merchant's rolling risk profile as of an instant. */
export interface MerchantProfile {
  readonly merchantId: string;
  /** The instant the windows end on (RFC 3339); the whole UTC day of asOf is included. */
  readonly asOf: string;
  readonly currency: string | null;
  /** The earliest event time seen: the merchant's tenure starts here. */
  readonly firstSeenAt: string;
  /** The newest event time applied, from any input topic. */
  readonly newestEventAt: string;
  readonly windows: Readonly<Record<ProfileWindowDays, WindowTotals>>;
  /**
   * Paid − refunded − settled over all time, counting events dated up to asOf's day. Negative
   * when settlements of orders paid before the profile began outweigh what it saw paid.
   */
  readonly receivablesOutstandingMinor: bigint;
  /** The latest snapshot of every tracked warehouse, summed (latest state, not as of asOf). */
  readonly inventory: {
    readonly valueMinor: bigint;
    readonly onHandUnits: bigint;
    readonly warehouses: number;
  };
  /** SKU-warehouse pairs whose latest stock event is a stock-out (latest state, capped by the retention). */
  readonly stockKeepingUnitsOutOfStock: number;
  readonly coverage: ProfileCoverage;
}
