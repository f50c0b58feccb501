/**
 * Identifiers of one simulated merchant. They are deterministic (a function of the seed's tag,
 * the merchant and a counter), so the same seed republished is recognised downstream as the
 * same events; and they carry the run's tag, so two seeds never collide on a business key
 * that Postgres keeps unique forever (`settlementId`). Event ids derive from the business
 * entity (`<orderId>:paid`), which makes them unique per source and easy to trace.
 */
export class MerchantIds {
  private readonly stem: string;

  constructor(runTag: string, merchantNumber: number) {
    this.stem = `${runTag}-${String(merchantNumber).padStart(6, '0')}`;
  }

  orderId(orderNumber: number): string {
    return `o-${this.stem}-${String(orderNumber).padStart(7, '0')}`;
  }

  shipmentId(orderNumber: number): string {
    return `s-${this.stem}-${String(orderNumber).padStart(7, '0')}`;
  }

  settlementId(orderNumber: number): string {
    return `st-${this.stem}-${String(orderNumber).padStart(7, '0')}`;
  }

  /** One snapshot per warehouse and day. */
  snapshotEventId(warehouseId: string, dayIndex: number): string {
    return `inv-${this.stem}-${warehouseId}-d${dayIndex}:snapshot`;
  }

  /** A SKU runs out at most once a day (it must be in stock at the start of the day to run out). */
  stockoutEventId(sku: string, dayIndex: number): string {
    return `inv-${this.stem}-${sku}-d${dayIndex}:stockout`;
  }

  /** A SKU is restocked at most once a day (only after a stock-out on an earlier day). */
  restockedEventId(sku: string, dayIndex: number): string {
    return `inv-${this.stem}-${sku}-d${dayIndex}:restocked`;
  }
}

/** The producers of the platform, as CloudEvents `source`s. */
export const Sources = {
  orders: '/platform/orders',
  warehouse: '/platform/warehouse',
  logistics: '/platform/logistics',
} as const;
