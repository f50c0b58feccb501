/** An inclusive range a value is drawn from. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * How a merchant trades on one day: the archetype's baseline, bent by its phase in the run.
 * Rates are probabilities per order (or per SKU and day), not money.
 */
export interface DailyBehaviour {
  /** Multiplies the merchant's base daily order rate (1 = an ordinary day). */
  readonly orderRateFactor: number;
  /** Scales the merchant's median order value, in basis points (10 000 = as usual). */
  readonly orderValueBasisPoints: number;
  /** Share of placed orders cancelled before payment. */
  readonly cancelRate: number;
  /** Share of paid orders refunded after delivery without a return (a complaint, "refund only"). */
  readonly refundRate: number;
  /** Of those refunds, the share that gives back the whole amount; the rest refund 10-50 %. */
  readonly fullRefundShare: number;
  /** Hours after delivery that such a refund lands. */
  readonly refundDelayHours: Range;
  /** Share of delivered orders sent back; a return is always refunded in full. */
  readonly returnRate: number;
  /** Hours from payment to dispatch. */
  readonly dispatchHours: Range;
  /** Share of shipments delivered by their promised time. */
  readonly onTimeRate: number;
  /** A late delivery lands up to this many hours after its promise. */
  readonly lateHoursMax: number;
  /** Chance that an in-stock SKU runs out on a given day. */
  readonly stockoutsPerSkuPerDay: number;
  /** Days from a stock-out to the restock. */
  readonly restockDays: Range;
  /** False once the merchant stops replenishing (stock then only drains). */
  readonly restocking: boolean;
  /** Multiplies the days of sales the merchant keeps in the warehouse; 0 withdraws everything. */
  readonly stockCoverFactor: number;
}

/** A healthy merchant's day; every archetype starts from this and changes what defines it. */
export const BASELINE_BEHAVIOUR: DailyBehaviour = {
  orderRateFactor: 1,
  orderValueBasisPoints: 10_000,
  cancelRate: 0.04,
  refundRate: 0.03,
  fullRefundShare: 0.4,
  refundDelayHours: { min: 12, max: 96 },
  returnRate: 0.02,
  dispatchHours: { min: 2, max: 30 },
  onTimeRate: 0.95,
  lateHoursMax: 48,
  stockoutsPerSkuPerDay: 0.0008,
  restockDays: { min: 1, max: 3 },
  restocking: true,
  stockCoverFactor: 1,
};
