import { CARRIED_COUNTER_NAMES, DayCounterValues } from './day-counters';

/** One event-time day's counters. A record exists only for a day that saw at least one event. */
export interface DayRecord {
  readonly day: number;
  readonly counters: DayCounterValues;
}

/** Identity and order of a latest-wins write: later event time wins, then the higher tie-breaker. */
export interface LatestWriteVersion {
  readonly timeMs: number;
  readonly tieBreaker: number;
}

/** The latest inventory snapshot of one warehouse. */
export interface WarehouseInventory extends LatestWriteVersion {
  /** 48-bit hash of the warehouse id, 12 hex digits. */
  readonly warehouseKey: string;
  readonly onHandUnits: bigint;
  readonly inventoryValueMinor: bigint;
}

/** The latest stock-out or restock of one SKU in one warehouse. */
export interface StockKeepingUnitState extends LatestWriteVersion {
  /** 48-bit hash of (warehouse id, sku), 12 hex digits. */
  readonly stockKeepingUnitKey: string;
  /** False: a restock, remembered for a while so that an older stock-out arriving late loses to it. */
  readonly outOfStock: boolean;
}

/** The input streams the profile reads, each with its own applied position. */
export const PROFILE_SOURCES = ['orders', 'warehouse', 'logistics'] as const;
export type ProfileSource = (typeof PROFILE_SOURCES)[number];

/**
 * How far into one input topic the profile has applied: the idempotency watermark (anything
 * at or below `throughOffset` on `partition` is a redelivery) and where it started, which
 * tells a profile built from a topic's beginning from one that started mid-stream.
 */
export interface AppliedPosition {
  readonly partition: number;
  readonly fromOffset: number;
  readonly throughOffset: number;
}

/** A merchant's whole rolling profile, as stored. Pure data; see applyProfileDelta and readWindows. */
export interface ProfileState {
  readonly merchantId: string;
  /** Set by the first money event applied; one merchant, one currency. */
  readonly currency: string | null;
  /** The earliest event time ever applied (tenure). */
  readonly firstSeenMs: number;
  /** The newest event time applied; trimming and windows' exactness are relative to it. */
  readonly newestEventMs: number;
  /** The newest event time of a stock event (snapshot, stock-out, restock), or null before the first. */
  readonly newestStockEventMs: number | null;
  /** Ascending by day, all within the kept days. */
  readonly days: readonly DayRecord[];
  /** All-time totals of the trimmed days' CARRIED_COUNTER_NAMES, in that order. */
  readonly carriedTotals: readonly bigint[];
  readonly warehouses: readonly WarehouseInventory[];
  readonly stockKeepingUnits: readonly StockKeepingUnitState[];
  /** A sum would have passed EXACT_INTEGER_MAX and was not applied: the profile is not trustworthy. */
  readonly overflowed: boolean;
  /** Maintained by the store (idempotency), not by the business rules; null for a source never applied. */
  readonly appliedPositions: Readonly<Record<ProfileSource, AppliedPosition | null>>;
}

export const noAppliedPositions = (): Record<ProfileSource, AppliedPosition | null> => ({
  orders: null,
  warehouse: null,
  logistics: null,
});

export const zeroCarriedTotals = (): bigint[] => CARRIED_COUNTER_NAMES.map(() => 0n);

/** A profile with nothing in it yet, for a merchant's first event. */
export function emptyProfileState(merchantId: string, eventTimeMs: number): ProfileState {
  return {
    merchantId,
    currency: null,
    firstSeenMs: eventTimeMs,
    newestEventMs: eventTimeMs,
    newestStockEventMs: null,
    days: [],
    carriedTotals: zeroCarriedTotals(),
    warehouses: [],
    stockKeepingUnits: [],
    overflowed: false,
    appliedPositions: noAppliedPositions(),
  };
}
