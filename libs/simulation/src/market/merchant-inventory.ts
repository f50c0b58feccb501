import { DailyBehaviour } from '../archetypes/daily-behaviour';
import { SeededRandom } from '../random/seeded-random';
import { MerchantIds } from './ids';
import { DAY_MS } from './market-config';
import { restockedEvent, snapshotEvent, stockoutEvent } from './event-factory';
import { SimulatedMerchant, UNITS_PER_ORDER } from './roster';
import { SimulatedEvent } from './simulated-event';
import { HOUR_MS, MINUTE_MS } from './time-of-day';

/** The merchant reorders when a warehouse falls below this share of its target stock. */
const REORDER_POINT_SHARE = 0.35;
/** The warehouse system counts stock at the end of each UTC day, 23:30-23:50. */
const SNAPSHOT_OFFSET_MS = 23 * HOUR_MS + 30 * MINUTE_MS;
const SNAPSHOT_SPREAD_MS = 20 * MINUTE_MS;

export interface InventoryDay {
  readonly dayIndex: number;
  readonly dayStartMs: number;
  readonly startMs: number;
  readonly behaviour: DailyBehaviour;
  /** Orders the merchant expects today; sets how much stock it wants to hold. */
  readonly expectedOrders: number;
  /** Units that left each warehouse (same order as `profile.warehouseIds`). */
  readonly unitsSoldByWarehouse: readonly number[];
}

export type EmitEvent = (atMs: number, event: SimulatedEvent) => void;

/**
 * A merchant's goods in the platform's warehouses: units per warehouse (valued at cost in
 * the daily snapshot) and, per SKU, whether it is listed in stock. Stock-outs are drawn per
 * SKU and day; a SKU that ran out comes back at its restock, unless the merchant stopped
 * restocking.
 */
export class MerchantInventory {
  private readonly unitsByWarehouse: number[];
  /** Per SKU: when it was (or will be) restocked; in stock on a day that starts after it. */
  private readonly restockAtMs: number[];

  constructor(
    private readonly profile: SimulatedMerchant,
    private readonly ids: MerchantIds,
  ) {
    this.unitsByWarehouse = profile.warehouseIds.map(() => -1); // -1: not yet stocked
    this.restockAtMs = profile.skus.map(() => Number.NEGATIVE_INFINITY);
  }

  /** Share of SKUs out of stock as the day starts (buyers cannot order what is not there). */
  outOfStockShare(dayStartMs: number): number {
    const out = this.restockAtMs.filter((restockAtMs) => restockAtMs > dayStartMs).length;
    return out / this.restockAtMs.length;
  }

  planDay(day: InventoryDay, random: SeededRandom, emit: EmitEvent): void {
    this.planStockouts(day, random, emit);
    this.planSnapshots(day, random, emit);
  }

  private targetUnits(day: InventoryDay): number {
    const unitsPerDay = day.expectedOrders * UNITS_PER_ORDER.mean;
    const cover = this.profile.stockCoverDays * day.behaviour.stockCoverFactor;
    return Math.ceil((unitsPerDay * cover) / this.profile.warehouseIds.length);
  }

  private planSnapshots(day: InventoryDay, random: SeededRandom, emit: EmitEvent): void {
    const { merchantId, currency, unitCostMinor } = this.profile;
    const target = this.targetUnits(day);
    this.profile.warehouseIds.forEach((warehouseId, index) => {
      const before = this.unitsByWarehouse[index] < 0 ? target : this.unitsByWarehouse[index];
      let units = Math.max(0, before - day.unitsSoldByWarehouse[index]);
      if (day.behaviour.stockCoverFactor === 0)
        units = 0; // goods withdrawn from the warehouse
      else if (day.behaviour.restocking && units < target * REORDER_POINT_SHARE) units = target;
      this.unitsByWarehouse[index] = units;
      const atMs = day.dayStartMs + SNAPSHOT_OFFSET_MS + random.int(0, SNAPSHOT_SPREAD_MS);
      const inventoryValueMinor = BigInt(units) * unitCostMinor;
      const facts = { merchantId, currency, warehouseId, dayIndex: day.dayIndex, atMs, onHandUnits: units };
      emit(atMs, snapshotEvent(this.ids, { ...facts, inventoryValueMinor }));
    });
  }

  private planStockouts(day: InventoryDay, random: SeededRandom, emit: EmitEvent): void {
    const { behaviour, dayIndex, dayStartMs } = day;
    this.profile.skus.forEach(({ sku, warehouseId }, index) => {
      const inStock = this.restockAtMs[index] <= dayStartMs;
      if (!inStock || !random.chance(behaviour.stockoutsPerSkuPerDay)) return;
      const merchantId = this.profile.merchantId;
      const stockoutAtMs = dayStartMs + random.int(0, DAY_MS - 1);
      emit(
        stockoutAtMs,
        stockoutEvent(this.ids, { merchantId, warehouseId, sku, dayIndex, atMs: stockoutAtMs }),
      );
      if (!behaviour.restocking) {
        this.restockAtMs[index] = Number.POSITIVE_INFINITY;
        return;
      }
      // At least a day later, so a restock never precedes its stock-out and never shares its day.
      const restockDay =
        dayIndex + Math.max(1, random.int(behaviour.restockDays.min, behaviour.restockDays.max));
      const restockAtMs = day.startMs + restockDay * DAY_MS + random.int(0, DAY_MS - 1);
      this.restockAtMs[index] = restockAtMs;
      emit(
        restockAtMs,
        restockedEvent(this.ids, { merchantId, warehouseId, sku, dayIndex: restockDay, atMs: restockAtMs }),
      );
    });
  }
}
