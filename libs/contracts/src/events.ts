import { z } from 'zod';
import {
  AmountMinor,
  BasisPoints,
  Count,
  Currency,
  Identifier,
  MerchantId,
  Timestamp,
} from './schema-primitives';
import { Topics, TopicName } from './topics';

/**
 * Every event type of CONTRACT.md: its topic, its `data` schema and a one-line meaning that
 * also goes into the generated AsyncAPI document. Unknown fields in `data` are ignored
 * (stripped), so producers may add optional fields without breaking Lendstream.
 */

const merchant = { merchantId: MerchantId };
const money = { amountMinor: AmountMinor, currency: Currency };

// ---- Inputs: the platform's order, warehouse and logistics systems, treasury, the portal.

export const OrderPlacedData = z.object({ ...merchant, orderId: Identifier, ...money });
export const OrderPaidData = z.object({ ...merchant, orderId: Identifier, ...money });
export const OrderCancelledData = z.object({ ...merchant, orderId: Identifier });
export const OrderRefundedData = z.object({ ...merchant, orderId: Identifier, ...money });
export const OrderSettledData = z.object({
  ...merchant,
  orderId: Identifier,
  settlementId: Identifier,
  ...money,
});

export const InventorySnapshotData = z.object({
  ...merchant,
  warehouseId: Identifier,
  onHandUnits: Count,
  inventoryValueMinor: AmountMinor,
  currency: Currency,
});
export const InventoryStockoutData = z.object({ ...merchant, warehouseId: Identifier, sku: Identifier });
export const InventoryRestockedData = z.object({ ...merchant, warehouseId: Identifier, sku: Identifier });

export const ShipmentDispatchedData = z.object({
  ...merchant,
  shipmentId: Identifier,
  orderId: Identifier,
  promisedAt: Timestamp,
});
export const ShipmentDeliveredData = z.object({
  ...merchant,
  shipmentId: Identifier,
  orderId: Identifier,
  promisedAt: Timestamp,
  deliveredAt: Timestamp,
});
export const ShipmentReturnedData = z.object({ ...merchant, shipmentId: Identifier, orderId: Identifier });

export const DisbursementSettledData = z.object({
  ...merchant,
  disbursementId: Identifier,
  treasuryRef: Identifier,
});
export const DisbursementFailedData = z.object({
  ...merchant,
  disbursementId: Identifier,
  reason: z.string().min(1).max(512),
});

export const DrawdownRequestedData = z.object({
  ...merchant,
  requestId: Identifier,
  ...money,
  termDays: z.number().int('must be an integer').min(1).max(365),
});

// ---- Outputs: what Lendstream publishes.

export const CreditLineStatus = z.enum(['ACTIVE', 'FROZEN', 'CLOSED']);
export const Reason = z.object({ code: z.string().min(1).max(64), message: z.string().max(512) });

export const CreditLineData = z.object({
  ...merchant,
  creditLineId: Identifier,
  status: CreditLineStatus,
  limitMinor: AmountMinor,
  availableMinor: AmountMinor,
  outstandingMinor: AmountMinor,
  currency: Currency,
  dailyRateBps: BasisPoints,
  grade: z.string().min(1).max(16),
  score: z.number().int().min(0).max(1000),
  reasons: z.array(Reason).max(32),
  policyVersion: z.string().min(1).max(64),
  decisionId: Identifier,
  profileAsOf: Timestamp,
  decidedAt: Timestamp,
});

export const DisbursementRequestedData = z.object({
  ...merchant,
  disbursementId: Identifier,
  loanId: Identifier,
  creditLineId: Identifier,
  ...money,
  requestedAt: Timestamp,
});

export const LoanData = z.object({
  ...merchant,
  loanId: Identifier,
  principalMinor: AmountMinor,
  outstandingPrincipalMinor: AmountMinor,
  accruedInterestMinor: AmountMinor,
  currency: Currency,
  dueAt: Timestamp,
  daysPastDue: z.number().int().min(0),
});

export const RepaymentCollectedData = z.object({
  ...merchant,
  repaymentId: Identifier,
  loanId: Identifier,
  ...money,
  principalMinor: AmountMinor,
  interestMinor: AmountMinor,
  source: z.enum(['SETTLEMENT_HOLDBACK', 'MANUAL']),
  settlementId: Identifier.optional(),
});

/** Internal: the profiler's debounced "this merchant's profile moved, as of this event time". */
export const ProfileChangedData = z.object({ ...merchant, asOf: Timestamp });

interface CatalogEntry {
  readonly topic: TopicName;
  readonly data: z.ZodType;
  readonly summary: string;
}

export const EVENT_CATALOG = {
  'order.placed': { topic: Topics.orders, data: OrderPlacedData, summary: 'A buyer placed an order.' },
  'order.paid': {
    topic: Topics.orders,
    data: OrderPaidData,
    summary: 'A buyer paid an order; counts toward GMV.',
  },
  'order.cancelled': { topic: Topics.orders, data: OrderCancelledData, summary: 'An order was cancelled.' },
  'order.refunded': {
    topic: Topics.orders,
    data: OrderRefundedData,
    summary: 'An order was (partly) refunded.',
  },
  'order.settled': {
    topic: Topics.orders,
    data: OrderSettledData,
    summary:
      'The platform is about to release these proceeds to the merchant; a repayment holdback may be taken.',
  },
  'inventory.snapshot': {
    topic: Topics.warehouse,
    data: InventorySnapshotData,
    summary: "The merchant's goods held in one platform warehouse, at cost.",
  },
  'inventory.stockout': {
    topic: Topics.warehouse,
    data: InventoryStockoutData,
    summary: 'A listed SKU ran out of stock.',
  },
  'inventory.restocked': {
    topic: Topics.warehouse,
    data: InventoryRestockedData,
    summary: 'A SKU is back in stock.',
  },
  'shipment.dispatched': {
    topic: Topics.logistics,
    data: ShipmentDispatchedData,
    summary: 'A shipment left.',
  },
  'shipment.delivered': {
    topic: Topics.logistics,
    data: ShipmentDeliveredData,
    summary: 'A shipment arrived; on time when deliveredAt <= promisedAt.',
  },
  'shipment.returned': {
    topic: Topics.logistics,
    data: ShipmentReturnedData,
    summary: 'A shipment came back.',
  },
  'disbursement.settled': {
    topic: Topics.treasury,
    data: DisbursementSettledData,
    summary: 'Treasury paid the merchant; the loan becomes active.',
  },
  'disbursement.failed': {
    topic: Topics.treasury,
    data: DisbursementFailedData,
    summary: 'Nothing was paid; the drawn amount returns to the line.',
  },
  'drawdown.requested': {
    topic: Topics.drawdownRequests,
    data: DrawdownRequestedData,
    summary: 'A merchant asks to draw on its line; requestId is the idempotency key.',
  },
  'credit-line.granted': { topic: Topics.creditLines, data: CreditLineData, summary: 'A new credit line.' },
  'credit-line.adjusted': { topic: Topics.creditLines, data: CreditLineData, summary: 'A line moved.' },
  'credit-line.frozen': { topic: Topics.creditLines, data: CreditLineData, summary: 'A line was frozen.' },
  'credit-line.unfrozen': {
    topic: Topics.creditLines,
    data: CreditLineData,
    summary: 'A frozen line reopened.',
  },
  'credit-line.closed': { topic: Topics.creditLines, data: CreditLineData, summary: 'A line was closed.' },
  'disbursement.requested': {
    topic: Topics.disbursements,
    data: DisbursementRequestedData,
    summary: 'Pay this amount to the merchant, once.',
  },
  'loan.activated': { topic: Topics.loans, data: LoanData, summary: 'The money left; the loan runs.' },
  'loan.overdue': { topic: Topics.loans, data: LoanData, summary: 'A loan is past its due date.' },
  'loan.repaid': { topic: Topics.loans, data: LoanData, summary: 'A loan is fully repaid.' },
  'loan.written-off': { topic: Topics.loans, data: LoanData, summary: 'A loan was written off.' },
  'repayment.collected': {
    topic: Topics.repayments,
    data: RepaymentCollectedData,
    summary:
      'A repayment was collected; for SETTLEMENT_HOLDBACK the settlement system withholds amountMinor.',
  },
  'profile.changed': {
    topic: Topics.profileChanged,
    data: ProfileChangedData,
    summary: "Internal: a merchant's rolling profile moved, as of the given event time.",
  },
} as const satisfies Record<string, CatalogEntry>;

export type EventType = keyof typeof EVENT_CATALOG;
export type EventData<T extends EventType> = z.output<(typeof EVENT_CATALOG)[T]['data']>;

/** A CloudEvents 1.0 structured-mode event, as decoded (amounts are bigint). */
export interface CloudEvent<T extends EventType = EventType> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: T;
  /** Event time, RFC 3339, as the producer wrote it. */
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype?: string;
  readonly data: EventData<T>;
}

/** A decoded event of any type, narrowed by `type`. */
export type AnyCloudEvent = { [T in EventType]: CloudEvent<T> }[EventType];

export const ORDER_TYPES = [
  'order.placed',
  'order.paid',
  'order.cancelled',
  'order.refunded',
  'order.settled',
] as const;
export const WAREHOUSE_TYPES = ['inventory.snapshot', 'inventory.stockout', 'inventory.restocked'] as const;
export const LOGISTICS_TYPES = ['shipment.dispatched', 'shipment.delivered', 'shipment.returned'] as const;
/** The event types that feed the rolling risk profile. */
export const PROFILE_INPUT_TYPES = [...ORDER_TYPES, ...WAREHOUSE_TYPES, ...LOGISTICS_TYPES] as const;
export type ProfileInputType = (typeof PROFILE_INPUT_TYPES)[number];
export type ProfileInputEvent = { [T in ProfileInputType]: CloudEvent<T> }[ProfileInputType];

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_CATALOG, type);
