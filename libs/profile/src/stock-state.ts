import { ProfileDelta } from './profile-delta';
import { ProfileRetention } from './profile-retention';
import { LatestWriteVersion, StockKeepingUnitState, WarehouseInventory } from './profile-state';

/**
 * The latest-wins part of the profile: inventory per warehouse, stock state per SKU. Every
 * write carries its event time, so the result does not depend on arrival order (within the
 * retention's late-event bound), and a replay gives the same state.
 */
export interface StockState {
  readonly newestStockEventMs: number | null;
  readonly warehouses: readonly WarehouseInventory[];
  readonly stockKeepingUnits: readonly StockKeepingUnitState[];
}

/** Positive when `a` was written after `b`; zero only for the same event time and tie-breaker. */
export const compareVersions = (a: LatestWriteVersion, b: LatestWriteVersion): number =>
  a.timeMs !== b.timeMs ? a.timeMs - b.timeMs : a.tieBreaker - b.tieBreaker;

/**
 * Inserts or replaces the entry for `key`; past `entriesMax`, drops the oldest entry (by
 * version, then key), which keeps the newest `entriesMax` whatever the arrival order.
 */
function upsertLatest<E extends LatestWriteVersion>(
  entries: readonly E[],
  entry: E,
  keyOf: (entry: E) => string,
  entriesMax: number,
): E[] {
  const key = keyOf(entry);
  const existing = entries.findIndex((candidate) => keyOf(candidate) === key);
  if (existing >= 0) {
    if (compareVersions(entry, entries[existing]!) <= 0) return [...entries];
    return entries.map((candidate, index) => (index === existing ? entry : candidate));
  }
  const grown = [...entries, entry];
  if (grown.length <= entriesMax) return grown;
  let oldest = 0;
  for (let index = 1; index < grown.length; index += 1) {
    const order = compareVersions(grown[index]!, grown[oldest]!);
    if (order < 0 || (order === 0 && keyOf(grown[index]!) < keyOf(grown[oldest]!))) oldest = index;
  }
  return grown.filter((_, index) => index !== oldest);
}

/** Applies a delta's stock change, if it has one, after dropping what went stale. */
export function applyStockChange(
  state: StockState,
  delta: ProfileDelta,
  retention: ProfileRetention,
): StockState {
  const change = delta.stock;
  if (change === null) {
    return {
      newestStockEventMs: state.newestStockEventMs,
      warehouses: state.warehouses,
      stockKeepingUnits: state.stockKeepingUnits,
    };
  }
  const newestStockEventMs = Math.max(state.newestStockEventMs ?? delta.eventTimeMs, delta.eventTimeMs);
  const snapshotHorizonMs = newestStockEventMs - retention.stockStateMs;
  const restockHorizonMs = newestStockEventMs - retention.lateStockEventMs;
  let warehouses = state.warehouses.filter((warehouse) => warehouse.timeMs >= snapshotHorizonMs);
  let stockKeepingUnits = state.stockKeepingUnits.filter(
    (unit) => unit.timeMs >= (unit.outOfStock ? snapshotHorizonMs : restockHorizonMs),
  );
  const version = { timeMs: delta.eventTimeMs, tieBreaker: delta.tieBreaker };
  if (change.kind === 'SNAPSHOT') {
    if (delta.eventTimeMs >= snapshotHorizonMs) {
      const entry: WarehouseInventory = {
        ...version,
        warehouseKey: change.warehouseKey,
        onHandUnits: change.onHandUnits,
        inventoryValueMinor: change.inventoryValueMinor,
      };
      warehouses = upsertLatest(
        warehouses,
        entry,
        (warehouse) => warehouse.warehouseKey,
        retention.warehousesMax,
      );
    }
  } else if (delta.eventTimeMs >= restockHorizonMs) {
    // A stock-out or restock later than the late-event bound no longer changes the state:
    // the restock it might contradict may already be forgotten.
    const entry: StockKeepingUnitState = {
      ...version,
      stockKeepingUnitKey: change.stockKeepingUnitKey,
      outOfStock: change.kind === 'STOCKOUT',
    };
    stockKeepingUnits = upsertLatest(
      stockKeepingUnits,
      entry,
      (unit) => unit.stockKeepingUnitKey,
      retention.stockEntriesMax,
    );
  }
  return { newestStockEventMs, warehouses, stockKeepingUnits };
}
