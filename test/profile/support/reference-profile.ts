import type { ProfileInputEvent } from '@lendstream/contracts';

/**
 * A deliberately plain reference implementation of the profile, written from the brief and
 * CONTRACT.md without any code of libs/profile: it keeps every event and recomputes each
 * figure from scratch. The end-to-end tests hold the profiler's Redis profile to it.
 */
const DAY_MS = 86_400_000;
const STOCK_STATE_MS = 90 * DAY_MS;
const WINDOWS = [1, 7, 30, 90] as const;

export interface ReferenceWindow {
  paidAmountMinor: bigint;
  paidOrders: number;
  refundedAmountMinor: bigint;
  refunds: number;
  cancellations: number;
  settledAmountMinor: bigint;
  stockouts: number;
  shipmentsDispatched: number;
  shipmentsDelivered: number;
  shipmentsDeliveredOnTime: number;
  shipmentsDeliveredLate: number;
  shipmentsReturned: number;
  activeDays: number;
  refundRateBasisPoints: number | null;
  cancelRateBasisPoints: number | null;
  onTimeDeliveryRateBasisPoints: number | null;
}

export interface ReferenceProfile {
  currency: string | null;
  firstSeenAt: string;
  newestEventAt: string;
  windows: Record<(typeof WINDOWS)[number], ReferenceWindow>;
  receivablesOutstandingMinor: bigint;
  inventory: { valueMinor: bigint; onHandUnits: bigint; warehouses: number };
  stockKeepingUnitsOutOfStock: number;
}

const timeOf = (event: ProfileInputEvent) => Date.parse(event.time);
const dayOf = (event: ProfileInputEvent) => Math.floor(timeOf(event) / DAY_MS);
const basisPoints = (numerator: number, denominator: number) =>
  denominator === 0 ? null : Number((BigInt(numerator) * 10_000n) / BigInt(denominator));

function windowOf(
  events: readonly ProfileInputEvent[],
  fromDay: number,
  throughDay: number,
): ReferenceWindow {
  const window: ReferenceWindow = {
    paidAmountMinor: 0n,
    paidOrders: 0,
    refundedAmountMinor: 0n,
    refunds: 0,
    cancellations: 0,
    settledAmountMinor: 0n,
    stockouts: 0,
    shipmentsDispatched: 0,
    shipmentsDelivered: 0,
    shipmentsDeliveredOnTime: 0,
    shipmentsDeliveredLate: 0,
    shipmentsReturned: 0,
    activeDays: 0,
    refundRateBasisPoints: null,
    cancelRateBasisPoints: null,
    onTimeDeliveryRateBasisPoints: null,
  };
  const days = new Set<number>();
  for (const event of events) {
    const day = dayOf(event);
    if (day < fromDay || day > throughDay) continue;
    days.add(day);
    switch (event.type) {
      case 'order.paid':
        window.paidAmountMinor += event.data.amountMinor;
        window.paidOrders += 1;
        break;
      case 'order.refunded':
        window.refundedAmountMinor += event.data.amountMinor;
        window.refunds += 1;
        break;
      case 'order.settled':
        window.settledAmountMinor += event.data.amountMinor;
        break;
      case 'order.cancelled':
        window.cancellations += 1;
        break;
      case 'inventory.stockout':
        window.stockouts += 1;
        break;
      case 'shipment.dispatched':
        window.shipmentsDispatched += 1;
        break;
      case 'shipment.delivered':
        window.shipmentsDelivered += 1;
        if (Date.parse(event.data.deliveredAt) <= Date.parse(event.data.promisedAt))
          window.shipmentsDeliveredOnTime += 1;
        else window.shipmentsDeliveredLate += 1;
        break;
      case 'shipment.returned':
        window.shipmentsReturned += 1;
        break;
      default:
        break;
    }
  }
  window.activeDays = days.size;
  window.refundRateBasisPoints = basisPoints(window.refunds, window.paidOrders);
  window.cancelRateBasisPoints = basisPoints(window.cancellations, window.paidOrders + window.cancellations);
  window.onTimeDeliveryRateBasisPoints = basisPoints(
    window.shipmentsDeliveredOnTime,
    window.shipmentsDelivered,
  );
  return window;
}

/** The latest event per key (later time wins; the simulator never writes one key twice in a millisecond). */
function latestBy<E extends ProfileInputEvent>(
  events: readonly E[],
  keyOf: (event: E) => string,
): Map<string, E> {
  const latest = new Map<string, E>();
  for (const event of events) {
    const current = latest.get(keyOf(event));
    if (current === undefined || timeOf(event) > timeOf(current)) latest.set(keyOf(event), event);
  }
  return latest;
}

/** One merchant's profile as of `asOf`, from all its (accepted) events. */
export function referenceProfile(events: readonly ProfileInputEvent[], asOf: Date): ReferenceProfile {
  const asOfDay = Math.floor(asOf.getTime() / DAY_MS);
  const times = events.map(timeOf);
  const windows = Object.fromEntries(
    WINDOWS.map((days) => [days, windowOf(events, asOfDay - days + 1, asOfDay)]),
  ) as ReferenceProfile['windows'];
  const allTime = windowOf(events, -Infinity, asOfDay);

  const stockEvents = events.filter((event) => event.type.startsWith('inventory.'));
  const newestStockMs = Math.max(...stockEvents.map(timeOf));
  const snapshots = events.flatMap((event) => (event.type === 'inventory.snapshot' ? [event] : []));
  const warehouses = [...latestBy(snapshots, (event) => event.data.warehouseId).values()].filter(
    (event) => timeOf(event) >= newestStockMs - STOCK_STATE_MS,
  );
  const skuEvents = events.flatMap((event) =>
    event.type === 'inventory.stockout' || event.type === 'inventory.restocked' ? [event] : [],
  );
  const outOfStock = [
    ...latestBy(skuEvents, (event) => `${event.data.warehouseId}\n${event.data.sku}`).values(),
  ].filter((event) => event.type === 'inventory.stockout' && timeOf(event) >= newestStockMs - STOCK_STATE_MS);
  const firstMoney = events.find((event) => 'currency' in event.data);
  return {
    currency: firstMoney && 'currency' in firstMoney.data ? firstMoney.data.currency : null,
    firstSeenAt: new Date(Math.min(...times)).toISOString(),
    newestEventAt: new Date(Math.max(...times)).toISOString(),
    windows,
    receivablesOutstandingMinor:
      allTime.paidAmountMinor - allTime.refundedAmountMinor - allTime.settledAmountMinor,
    inventory: {
      valueMinor: warehouses.reduce((sum, event) => sum + event.data.inventoryValueMinor, 0n),
      onHandUnits: warehouses.reduce((sum, event) => sum + BigInt(event.data.onHandUnits), 0n),
      warehouses: warehouses.length,
    },
    stockKeepingUnitsOutOfStock: outOfStock.length,
  };
}
