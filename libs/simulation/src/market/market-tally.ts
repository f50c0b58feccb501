import { ProfileInputEvent } from '@lendstream/contracts';
import { DAY_MS } from './market-config';

/** What one merchant did over a run, counted from its events. */
export interface MerchantTally {
  ordersPlaced: number;
  ordersPaid: number;
  ordersCancelled: number;
  refunds: number;
  returns: number;
  deliveries: number;
  onTimeDeliveries: number;
  stockouts: number;
  restocks: number;
  snapshots: number;
  settlements: number;
  paidMinor: bigint;
  refundedMinor: bigint;
  settledMinor: bigint;
  /** Paid order value (GMV) per simulated day, index 0 = the first day. */
  readonly paidMinorByDay: bigint[];
}

const emptyTally = (days: number): MerchantTally => ({
  ordersPlaced: 0,
  ordersPaid: 0,
  ordersCancelled: 0,
  refunds: 0,
  returns: 0,
  deliveries: 0,
  onTimeDeliveries: 0,
  stockouts: 0,
  restocks: 0,
  snapshots: 0,
  settlements: 0,
  paidMinor: 0n,
  refundedMinor: 0n,
  settledMinor: 0n,
  paidMinorByDay: Array<bigint>(days).fill(0n),
});

/**
 * Counts a simulated market per merchant, for summaries by archetype and for checking that
 * archetypes behave as documented. Memory grows with merchants × days, not with events.
 */
export class MarketTally {
  private readonly tallies = new Map<string, MerchantTally>();
  private readonly startMs: number;

  constructor(
    start: string | Date,
    private readonly days: number,
  ) {
    this.startMs = typeof start === 'string' ? Date.parse(start) : start.getTime();
  }

  /** The tally of one merchant (all zeros if it has no events yet). */
  of(merchantId: string): MerchantTally {
    let tally = this.tallies.get(merchantId);
    if (tally === undefined) {
      tally = emptyTally(this.days);
      this.tallies.set(merchantId, tally);
    }
    return tally;
  }

  add(event: ProfileInputEvent): void {
    const tally = this.of(event.subject);
    switch (event.type) {
      case 'order.placed':
        tally.ordersPlaced += 1;
        break;
      case 'order.paid': {
        tally.ordersPaid += 1;
        tally.paidMinor += event.data.amountMinor;
        const day = Math.floor((Date.parse(event.time) - this.startMs) / DAY_MS);
        if (day >= 0 && day < this.days) tally.paidMinorByDay[day] += event.data.amountMinor;
        break;
      }
      case 'order.cancelled':
        tally.ordersCancelled += 1;
        break;
      case 'order.refunded':
        tally.refunds += 1;
        tally.refundedMinor += event.data.amountMinor;
        break;
      case 'order.settled':
        tally.settlements += 1;
        tally.settledMinor += event.data.amountMinor;
        break;
      case 'shipment.delivered':
        tally.deliveries += 1;
        if (Date.parse(event.data.deliveredAt) <= Date.parse(event.data.promisedAt))
          tally.onTimeDeliveries += 1;
        break;
      case 'shipment.returned':
        tally.returns += 1;
        break;
      case 'inventory.stockout':
        tally.stockouts += 1;
        break;
      case 'inventory.restocked':
        tally.restocks += 1;
        break;
      case 'inventory.snapshot':
        tally.snapshots += 1;
        break;
      case 'shipment.dispatched':
        break;
    }
  }
}
