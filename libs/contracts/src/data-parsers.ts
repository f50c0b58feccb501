import type { EventData, EventType, ProfileInputType } from './events';
import {
  amountFieldOrUndefined,
  isCount,
  isCurrency,
  isIdentifier,
  isMerchantId,
  isTimestamp,
} from './primitive-checks';

/**
 * Hand-written parsers of the `data` of the high-volume input types: the order, warehouse and
 * logistics events that feed the profile, hundreds of thousands a second at peak. Each
 * accepts exactly what its zod schema in events.ts accepts and returns the same output (the
 * schema's fields in the schema's order, unknown fields stripped, amounts as bigint); it
 * returns undefined for anything else, and the decoder then asks the schema, whose answer
 * (and error) is the contract. data-parsers.spec.ts holds each parser to its schema with
 * generated valid and mutated events. The zod schemas stay the reference: the AsyncAPI
 * document, the errors and every other type come from them.
 */
type DataParser<T extends EventType> = (data: Readonly<Record<string, unknown>>) => EventData<T> | undefined;

type OrderWithMoney = 'order.placed' | 'order.paid' | 'order.refunded';

function orderWithMoney(data: Readonly<Record<string, unknown>>): EventData<OrderWithMoney> | undefined {
  const { merchantId, orderId, currency } = data;
  const amountMinor = amountFieldOrUndefined(data.amountMinor);
  if (
    !isMerchantId(merchantId) ||
    !isIdentifier(orderId) ||
    amountMinor === undefined ||
    !isCurrency(currency)
  )
    return undefined;
  return { merchantId, orderId, amountMinor, currency };
}

const orderCancelled: DataParser<'order.cancelled'> = (data) => {
  const { merchantId, orderId } = data;
  if (!isMerchantId(merchantId) || !isIdentifier(orderId)) return undefined;
  return { merchantId, orderId };
};

const orderSettled: DataParser<'order.settled'> = (data) => {
  const { merchantId, orderId, settlementId, currency } = data;
  const amountMinor = amountFieldOrUndefined(data.amountMinor);
  if (
    !isMerchantId(merchantId) ||
    !isIdentifier(orderId) ||
    !isIdentifier(settlementId) ||
    amountMinor === undefined ||
    !isCurrency(currency)
  )
    return undefined;
  return { merchantId, orderId, settlementId, amountMinor, currency };
};

const inventorySnapshot: DataParser<'inventory.snapshot'> = (data) => {
  const { merchantId, warehouseId, onHandUnits, currency } = data;
  const inventoryValueMinor = amountFieldOrUndefined(data.inventoryValueMinor);
  if (
    !isMerchantId(merchantId) ||
    !isIdentifier(warehouseId) ||
    !isCount(onHandUnits) ||
    inventoryValueMinor === undefined ||
    !isCurrency(currency)
  )
    return undefined;
  return { merchantId, warehouseId, onHandUnits, inventoryValueMinor, currency };
};

function stockLevel(
  data: Readonly<Record<string, unknown>>,
): EventData<'inventory.stockout' | 'inventory.restocked'> | undefined {
  const { merchantId, warehouseId, sku } = data;
  if (!isMerchantId(merchantId) || !isIdentifier(warehouseId) || !isIdentifier(sku)) return undefined;
  return { merchantId, warehouseId, sku };
}

const shipmentDispatched: DataParser<'shipment.dispatched'> = (data) => {
  const { merchantId, shipmentId, orderId, promisedAt } = data;
  if (
    !isMerchantId(merchantId) ||
    !isIdentifier(shipmentId) ||
    !isIdentifier(orderId) ||
    !isTimestamp(promisedAt)
  )
    return undefined;
  return { merchantId, shipmentId, orderId, promisedAt };
};

const shipmentDelivered: DataParser<'shipment.delivered'> = (data) => {
  const { merchantId, shipmentId, orderId, promisedAt, deliveredAt } = data;
  if (
    !isMerchantId(merchantId) ||
    !isIdentifier(shipmentId) ||
    !isIdentifier(orderId) ||
    !isTimestamp(promisedAt) ||
    !isTimestamp(deliveredAt)
  )
    return undefined;
  return { merchantId, shipmentId, orderId, promisedAt, deliveredAt };
};

const shipmentReturned: DataParser<'shipment.returned'> = (data) => {
  const { merchantId, shipmentId, orderId } = data;
  if (!isMerchantId(merchantId) || !isIdentifier(shipmentId) || !isIdentifier(orderId)) return undefined;
  return { merchantId, shipmentId, orderId };
};

/** One parser per profile input type; every other type is parsed by its schema alone. */
export const DATA_PARSERS: { readonly [T in ProfileInputType]: DataParser<T> } = {
  'order.placed': orderWithMoney,
  'order.paid': orderWithMoney,
  'order.cancelled': orderCancelled,
  'order.refunded': orderWithMoney,
  'order.settled': orderSettled,
  'inventory.snapshot': inventorySnapshot,
  'inventory.stockout': stockLevel,
  'inventory.restocked': stockLevel,
  'shipment.dispatched': shipmentDispatched,
  'shipment.delivered': shipmentDelivered,
  'shipment.returned': shipmentReturned,
};

/**
 * The `data` of an event of `type` as its schema would output it, when the type has a
 * hand-written parser and the data is valid; undefined otherwise (ask the schema).
 */
export function parseDataFast<T extends EventType>(
  type: T,
  data: Readonly<Record<string, unknown>>,
): EventData<T> | undefined {
  if (!Object.hasOwn(DATA_PARSERS, type)) return undefined;
  const parser = DATA_PARSERS[type as ProfileInputType] as unknown as DataParser<T>;
  return parser(data);
}
