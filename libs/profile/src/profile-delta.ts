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
import { DayCounterName, DayCounterValues, dayCountersOf } from './day-counters';
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

const refuse = (reason: DeadLetterReason, field: string, message: string): Result<never, ContractViolation> =>
  err({ reason, field, message });

function checkAmount(amountMinor: bigint, field: string): Result<bigint, ContractViolation> {
  if (amountMinor > PROFILE_AMOUNT_MINOR_MAX) {
    return refuse(
      DeadLetterReason.INVALID_AMOUNT,
      field,
      `${field}: ${amountMinor} exceeds the profile's limit of 2^48`,
    );
  }
  return ok(amountMinor);
}

interface EventEffect {
  readonly counters: Partial<Record<DayCounterName, bigint>>;
  readonly currency: string | null;
  readonly stock: StockChange | null;
}

const counts = (counters: Partial<Record<DayCounterName, bigint>>): EventEffect => ({
  counters,
  currency: null,
  stock: null,
});

/** The business rules: what each event type counts. */
function effectOf(event: ProfileInputEvent): Result<EventEffect, ContractViolation> {
  switch (event.type) {
    case 'order.placed': {
      // Counts as activity only; a placed order is not yet GMV. Its currency is still checked.
      const amount = checkAmount(event.data.amountMinor, 'data.amountMinor');
      if (!amount.ok) return amount;
      return ok({ counters: {}, currency: event.data.currency, stock: null });
    }
    case 'order.paid':
    case 'order.refunded':
    case 'order.settled': {
      const amount = checkAmount(event.data.amountMinor, 'data.amountMinor');
      if (!amount.ok) return amount;
      const counters: Partial<Record<DayCounterName, bigint>> =
        event.type === 'order.paid'
          ? { paidAmountMinor: amount.value, paidOrders: 1n }
          : event.type === 'order.refunded'
            ? { refundedAmountMinor: amount.value, refunds: 1n }
            : { settledAmountMinor: amount.value };
      return ok({ counters, currency: event.data.currency, stock: null });
    }
    case 'order.cancelled':
      return ok(counts({ cancellations: 1n }));
    case 'inventory.snapshot': {
      const value = checkAmount(event.data.inventoryValueMinor, 'data.inventoryValueMinor');
      if (!value.ok) return value;
      const stock: StockChange = {
        kind: 'SNAPSHOT',
        warehouseKey: warehouseKey(event.data.warehouseId),
        onHandUnits: BigInt(event.data.onHandUnits),
        inventoryValueMinor: value.value,
      };
      return ok({ counters: {}, currency: event.data.currency, stock });
    }
    case 'inventory.stockout':
    case 'inventory.restocked':
      return ok({
        counters: event.type === 'inventory.stockout' ? { stockouts: 1n } : {},
        currency: null,
        stock: {
          kind: event.type === 'inventory.stockout' ? 'STOCKOUT' : 'RESTOCKED',
          stockKeepingUnitKey: stockKeepingUnitKey(event.data.warehouseId, event.data.sku),
        },
      });
    case 'shipment.dispatched':
      return ok(counts({ shipmentsDispatched: 1n }));
    case 'shipment.delivered': {
      // On time when deliveredAt <= promisedAt, compared as instants, not strings: the two
      // timestamps may carry different offsets.
      const late = parseEventTimeMs(event.data.deliveredAt) > parseEventTimeMs(event.data.promisedAt);
      return ok(counts({ shipmentsDelivered: 1n, shipmentsDeliveredLate: late ? 1n : 0n }));
    }
    case 'shipment.returned':
      return ok(counts({ shipmentsReturned: 1n }));
  }
}

/**
 * Maps one decoded input event to what it changes in its merchant's profile. Pure: the same
 * event always gives the same delta. An event the profile cannot hold (dated outside the
 * storable range, an absurd amount) is refused with a dead-letter reason.
 */
export function profileDelta(event: ProfileInputEvent): Result<ProfileDelta, ContractViolation> {
  const eventTimeMs = parseEventTimeMs(event.time);
  if (!isStorableEventTime(eventTimeMs)) {
    return refuse(
      DeadLetterReason.SCHEMA_VIOLATION,
      'time',
      `time ${event.time} is outside 1970-01-01..2149-06-06`,
    );
  }
  const effect = effectOf(event);
  if (!effect.ok) return effect;
  const fingerprint = eventFingerprint(event.source, event.id);
  return ok({
    merchantId: event.data.merchantId,
    eventTimeMs,
    day: dayIndexOf(eventTimeMs),
    counters: dayCountersOf(effect.value.counters),
    currency: effect.value.currency,
    fingerprint,
    tieBreaker: tieBreakerOf(fingerprint),
    stock: effect.value.stock,
  });
}
