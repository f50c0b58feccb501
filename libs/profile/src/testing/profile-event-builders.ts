import { createEvent, type CloudEvent, type EventData, type ProfileInputType } from '@lendstream/contracts';

/**
 * Builders of contract-valid profile input events for tests (unit and integration). Not
 * exported from the library's index: test support only.
 */
export const TEST_MERCHANT_ID = 'm-000042';

export const TEST_SOURCES = {
  orders: '/platform/orders',
  warehouse: '/platform/warehouse',
  logistics: '/platform/logistics',
} as const;

const sourceOf = (type: ProfileInputType): string =>
  type.startsWith('order.')
    ? TEST_SOURCES.orders
    : type.startsWith('inventory.')
      ? TEST_SOURCES.warehouse
      : TEST_SOURCES.logistics;

let nextEventNumber = 1;

export interface EventOptions {
  readonly id?: string;
  readonly merchantId?: string;
  readonly source?: string;
}

/** A profile input event of `type` at `time`; `data` without the merchant, which defaults to TEST_MERCHANT_ID. */
export function profileEvent<T extends ProfileInputType>(
  type: T,
  time: string,
  data: Omit<EventData<T>, 'merchantId'>,
  options: EventOptions = {},
): CloudEvent<T> {
  const id = options.id ?? `test-${nextEventNumber++}`;
  const merchantId = options.merchantId ?? TEST_MERCHANT_ID;
  return createEvent({
    type,
    id,
    source: options.source ?? sourceOf(type),
    time,
    data: { ...data, merchantId } as EventData<T>,
  });
}

export const paid = (time: string, amountMinor: bigint, options: EventOptions & { currency?: string } = {}) =>
  profileEvent(
    'order.paid',
    time,
    { orderId: 'o-1', amountMinor, currency: options.currency ?? 'CNY' },
    options,
  );

export const refunded = (
  time: string,
  amountMinor: bigint,
  options: EventOptions & { currency?: string } = {},
) =>
  profileEvent(
    'order.refunded',
    time,
    { orderId: 'o-1', amountMinor, currency: options.currency ?? 'CNY' },
    options,
  );

export const settled = (
  time: string,
  amountMinor: bigint,
  options: EventOptions & { currency?: string } = {},
) =>
  profileEvent(
    'order.settled',
    time,
    { orderId: 'o-1', settlementId: 'st-1', amountMinor, currency: options.currency ?? 'CNY' },
    options,
  );

export const cancelled = (time: string, options: EventOptions = {}) =>
  profileEvent('order.cancelled', time, { orderId: 'o-1' }, options);

export const snapshot = (
  time: string,
  warehouseId: string,
  onHandUnits: number,
  inventoryValueMinor: bigint,
  options: EventOptions & { currency?: string } = {},
) =>
  profileEvent(
    'inventory.snapshot',
    time,
    { warehouseId, onHandUnits, inventoryValueMinor, currency: options.currency ?? 'CNY' },
    options,
  );

export const stockout = (time: string, warehouseId: string, sku: string, options: EventOptions = {}) =>
  profileEvent('inventory.stockout', time, { warehouseId, sku }, options);

export const restocked = (time: string, warehouseId: string, sku: string, options: EventOptions = {}) =>
  profileEvent('inventory.restocked', time, { warehouseId, sku }, options);

export const dispatched = (time: string, promisedAt: string, options: EventOptions = {}) =>
  profileEvent('shipment.dispatched', time, { shipmentId: 's-1', orderId: 'o-1', promisedAt }, options);

export const delivered = (
  time: string,
  promisedAt: string,
  options: EventOptions & { deliveredAt?: string } = {},
) =>
  profileEvent(
    'shipment.delivered',
    time,
    { shipmentId: 's-1', orderId: 'o-1', promisedAt, deliveredAt: options.deliveredAt ?? time },
    options,
  );

export const returned = (time: string, options: EventOptions = {}) =>
  profileEvent('shipment.returned', time, { shipmentId: 's-1', orderId: 'o-1' }, options);
