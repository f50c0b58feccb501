import {
  ContractViolation,
  DeadLetterReason,
  err,
  ok,
  PROFILE_INPUT_TYPES,
  ProfileInputEvent,
  Result,
  type AnyCloudEvent,
} from '@lendstream/contracts';
import { DAY_COUNTER_INDEX, DayCounterValues, zeroDayCounters } from './day-counters';
import { dayIndexOf, isStorableEventTime, parseEventTimeMs } from './event-time';
import { eventFingerprint, stockKeepingUnitKey, tieBreakerOf, warehouseKey } from './identity-hash';

/**
 * The largest single amount the profile accepts (2^48 minor units, about 2.8 × 10^12 CNY).
 * Far above any real order, and low enough that thousands of them still sum exactly in
 * Redis' Lua numbers (see EXACT_INTEGER_MAX). Larger amounts are refused as INVALID_AMOUNT.
 */
export const PROFILE_AMOUNT_MINOR_MAX = 2n ** 48n;

/** The latest-wins state an event sets, keyed by a hash of its warehouse (and SKU). */
export type StockChange =
  | {
      readonly kind: 'SNAPSHOT';
      readonly warehouseKey: string;
      readonly onHandUnits: bigint;
      readonly inventoryValueMinor: bigint;
    }
  | { readonly kind: 'STOCKOUT' | 'RESTOCKED'; readonly stockKeepingUnitKey: string };

/** What one input event changes in its merchant's profile. */
export interface ProfileDelta {
  readonly merchantId: string;
  readonly eventTimeMs: number;
  /** The UTC event-time day whose counters move. */
  readonly day: number;
  /** Increments, indexed as DAY_COUNTER_NAMES; all zero for events that only mark activity. */
  readonly counters: DayCounterValues;
  /** Set for events that carry money: the merchant's currency must match it. */
  readonly currency: string | null;
  /** 64-bit hash of (source, id), as 16 hex digits: the re-publish dedupe key. */
  readonly fingerprint: string;
  /** Orders two stock writes at the same millisecond, the same way on every replay. */
  readonly tieBreaker: number;
  readonly stock: StockChange | null;
}

const PROFILE_TYPES: ReadonlySet<string> = new Set(PROFILE_INPUT_TYPES);

export const isProfileInputEvent = (event: AnyCloudEvent): event is ProfileInputEvent =>
  PROFILE_TYPES.has(event.type);

const amountTooLarge = (amountMinor: bigint, field: string): ContractViolation => ({
  reason: DeadLetterReason.INVALID_AMOUNT,
  field,
  message: `${field}: ${amountMinor} exceeds the profile's limit of 2^48`,
});

const PAID_AMOUNT = DAY_COUNTER_INDEX.paidAmountMinor;
const PAID_ORDERS = DAY_COUNTER_INDEX.paidOrders;
const REFUNDED_AMOUNT = DAY_COUNTER_INDEX.refundedAmountMinor;
const REFUNDS = DAY_COUNTER_INDEX.refunds;
const SETTLED_AMOUNT = DAY_COUNTER_INDEX.settledAmountMinor;
const CANCELLATIONS = DAY_COUNTER_INDEX.cancellations;
const STOCKOUTS = DAY_COUNTER_INDEX.stockouts;
const DISPATCHED = DAY_COUNTER_INDEX.shipmentsDispatched;
const DELIVERED = DAY_COUNTER_INDEX.shipmentsDelivered;
const DELIVERED_LATE = DAY_COUNTER_INDEX.shipmentsDeliveredLate;
const RETURNED = DAY_COUNTER_INDEX.shipmentsReturned;

/**
 * A ProfileDelta being computed. The store's hot path fills one draft per batch, event after
 * event, and encodes each as soon as it is filled: no delta object, counter array or result
 * per event. profileDelta gives every event a draft of its own.
 */
export interface ProfileDeltaDraft {
  merchantId: string;
  eventTimeMs: number;
  day: number;
  counters: bigint[];
  currency: string | null;
  fingerprint: string;
  tieBreaker: number;
  stock: StockChange | null;
}

export const newProfileDeltaDraft = (): ProfileDeltaDraft => ({
  merchantId: '',
  eventTimeMs: 0,
  day: 0,
  counters: zeroDayCounters(),
  currency: null,
  fingerprint: '',
  tieBreaker: 0,
  stock: null,
});

/**
 * The business rules: what each event type counts (into `draft.counters`, all zero on
 * entry), its currency and its stock change; or why the profile refuses the event.
 */
function applyEffect(event: ProfileInputEvent, draft: ProfileDeltaDraft): ContractViolation | null {
  const counters = draft.counters;
  switch (event.type) {
    case 'order.placed':
    case 'order.paid':
    case 'order.refunded':
    case 'order.settled': {
      const amount = event.data.amountMinor;
      if (amount > PROFILE_AMOUNT_MINOR_MAX) return amountTooLarge(amount, 'data.amountMinor');
      if (event.type === 'order.paid') {
        counters[PAID_AMOUNT] = amount;
        counters[PAID_ORDERS] = 1n;
      } else if (event.type === 'order.refunded') {
        counters[REFUNDED_AMOUNT] = amount;
        counters[REFUNDS] = 1n;
      } else if (event.type === 'order.settled') {
        counters[SETTLED_AMOUNT] = amount;
      }
      // A placed order counts as activity only; it is not yet GMV. Its currency is still checked.
      draft.currency = event.data.currency;
      return null;
    }
    case 'order.cancelled':
      counters[CANCELLATIONS] = 1n;
      return null;
    case 'inventory.snapshot': {
      const value = event.data.inventoryValueMinor;
      if (value > PROFILE_AMOUNT_MINOR_MAX) return amountTooLarge(value, 'data.inventoryValueMinor');
      draft.currency = event.data.currency;
      draft.stock = {
        kind: 'SNAPSHOT',
        warehouseKey: warehouseKey(event.data.warehouseId),
        onHandUnits: BigInt(event.data.onHandUnits),
        inventoryValueMinor: value,
      };
      return null;
    }
    case 'inventory.stockout':
    case 'inventory.restocked': {
      const stockout = event.type === 'inventory.stockout';
      if (stockout) counters[STOCKOUTS] = 1n;
      const stockKey = stockKeepingUnitKey(event.data.warehouseId, event.data.sku);
      draft.stock = { kind: stockout ? 'STOCKOUT' : 'RESTOCKED', stockKeepingUnitKey: stockKey };
      return null;
    }
    case 'shipment.dispatched':
      counters[DISPATCHED] = 1n;
      return null;
    case 'shipment.delivered':
      counters[DELIVERED] = 1n;
      // On time when deliveredAt <= promisedAt, compared as instants, not strings: the two
      // timestamps may carry different offsets.
      if (parseEventTimeMs(event.data.deliveredAt) > parseEventTimeMs(event.data.promisedAt))
        counters[DELIVERED_LATE] = 1n;
      return null;
    case 'shipment.returned':
      counters[RETURNED] = 1n;
      return null;
  }
}

/**
 * Computes what one input event changes in its merchant's profile into `draft` (every field
 * is overwritten); returns null, or why the profile refuses the event (then the draft is
 * left half-filled and means nothing). Pure apart from writing the draft.
 */
export function fillProfileDelta(
  event: ProfileInputEvent,
  draft: ProfileDeltaDraft,
): ContractViolation | null {
  const eventTimeMs = parseEventTimeMs(event.time);
  if (!isStorableEventTime(eventTimeMs)) {
    return {
      reason: DeadLetterReason.SCHEMA_VIOLATION,
      field: 'time',
      message: `time ${event.time} is outside 1970-01-01..2149-06-06`,
    };
  }
  draft.counters.fill(0n);
  draft.currency = null;
  draft.stock = null;
  const refused = applyEffect(event, draft);
  if (refused !== null) return refused;
  const fingerprint = eventFingerprint(event.source, event.id);
  draft.merchantId = event.data.merchantId;
  draft.eventTimeMs = eventTimeMs;
  draft.day = dayIndexOf(eventTimeMs);
  draft.fingerprint = fingerprint;
  draft.tieBreaker = tieBreakerOf(fingerprint);
  return null;
}

/**
 * Maps one decoded input event to what it changes in its merchant's profile. Pure: the same
 * event always gives the same delta. An event the profile cannot hold (dated outside the
 * storable range, an absurd amount) is refused with a dead-letter reason.
 */
export function profileDelta(event: ProfileInputEvent): Result<ProfileDelta, ContractViolation> {
  const draft = newProfileDeltaDraft();
  const refused = fillProfileDelta(event, draft);
  return refused === null ? ok(draft) : err(refused);
}
