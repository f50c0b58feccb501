import { createEvent, topicOf } from '@lendstream/contracts';
import { MerchantIds, Sources } from './ids';
import { OrderStep } from './order-plan';
import { SimulatedEvent } from './simulated-event';

/** An order being simulated: its identity and the steps still to emit. */
export interface OrderInFlight {
  readonly merchantId: string;
  readonly currency: string;
  readonly orderId: string;
  readonly shipmentId: string;
  readonly settlementId: string;
  readonly steps: readonly OrderStep[];
  /** Index of the next step to emit. */
  next: number;
}

const iso = (atMs: number): string => new Date(atMs).toISOString();

const simulated = (event: SimulatedEvent['event']): SimulatedEvent => ({
  topic: topicOf(event.type),
  key: event.subject,
  event,
});

/** The CloudEvent for one step of an order; its id is `<orderId|shipmentId>:<what happened>`. */
export function orderStepEvent(order: OrderInFlight, step: OrderStep): SimulatedEvent {
  const { merchantId, currency, orderId, shipmentId } = order;
  const time = iso(step.atMs);
  const { amountMinor } = step;
  switch (step.type) {
    case 'order.placed':
      return simulated(
        createEvent({
          type: step.type,
          id: `${orderId}:placed`,
          source: Sources.orders,
          time,
          data: { merchantId, orderId, amountMinor, currency },
        }),
      );
    case 'order.paid':
      return simulated(
        createEvent({
          type: step.type,
          id: `${orderId}:paid`,
          source: Sources.orders,
          time,
          data: { merchantId, orderId, amountMinor, currency },
        }),
      );
    case 'order.refunded':
      return simulated(
        createEvent({
          type: step.type,
          id: `${orderId}:refunded`,
          source: Sources.orders,
          time,
          data: { merchantId, orderId, amountMinor, currency },
        }),
      );
    case 'order.settled':
      return simulated(
        createEvent({
          type: step.type,
          id: `${orderId}:settled`,
          source: Sources.orders,
          time,
          data: { merchantId, orderId, settlementId: order.settlementId, amountMinor, currency },
        }),
      );
    case 'order.cancelled':
      return simulated(
        createEvent({
          type: step.type,
          id: `${orderId}:cancelled`,
          source: Sources.orders,
          time,
          data: { merchantId, orderId },
        }),
      );
    case 'shipment.dispatched':
      return simulated(
        createEvent({
          type: step.type,
          id: `${shipmentId}:dispatched`,
          source: Sources.logistics,
          time,
          data: { merchantId, shipmentId, orderId, promisedAt: iso(step.promisedAtMs) },
        }),
      );
    case 'shipment.delivered':
      return simulated(
        createEvent({
          type: step.type,
          id: `${shipmentId}:delivered`,
          source: Sources.logistics,
          time,
          data: { merchantId, shipmentId, orderId, promisedAt: iso(step.promisedAtMs), deliveredAt: time },
        }),
      );
    case 'shipment.returned':
      return simulated(
        createEvent({
          type: step.type,
          id: `${shipmentId}:returned`,
          source: Sources.logistics,
          time,
          data: { merchantId, shipmentId, orderId },
        }),
      );
  }
}

export interface SnapshotFacts {
  readonly merchantId: string;
  readonly currency: string;
  readonly warehouseId: string;
  readonly dayIndex: number;
  readonly atMs: number;
  readonly onHandUnits: number;
  readonly inventoryValueMinor: bigint;
}

export function snapshotEvent(ids: MerchantIds, facts: SnapshotFacts): SimulatedEvent {
  const { merchantId, warehouseId, onHandUnits, inventoryValueMinor, currency } = facts;
  return simulated(
    createEvent({
      type: 'inventory.snapshot',
      id: ids.snapshotEventId(warehouseId, facts.dayIndex),
      source: Sources.warehouse,
      time: iso(facts.atMs),
      data: { merchantId, warehouseId, onHandUnits, inventoryValueMinor, currency },
    }),
  );
}

export interface SkuFacts {
  readonly merchantId: string;
  readonly warehouseId: string;
  readonly sku: string;
  readonly dayIndex: number;
  readonly atMs: number;
}

export function stockoutEvent(ids: MerchantIds, facts: SkuFacts): SimulatedEvent {
  const { merchantId, warehouseId, sku } = facts;
  return simulated(
    createEvent({
      type: 'inventory.stockout',
      id: ids.stockoutEventId(sku, facts.dayIndex),
      source: Sources.warehouse,
      time: iso(facts.atMs),
      data: { merchantId, warehouseId, sku },
    }),
  );
}

export function restockedEvent(ids: MerchantIds, facts: SkuFacts): SimulatedEvent {
  const { merchantId, warehouseId, sku } = facts;
  return simulated(
    createEvent({
      type: 'inventory.restocked',
      id: ids.restockedEventId(sku, facts.dayIndex),
      source: Sources.warehouse,
      time: iso(facts.atMs),
      data: { merchantId, warehouseId, sku },
    }),
  );
}
