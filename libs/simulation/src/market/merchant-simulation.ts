import { ARCHETYPE_PARAMETERS, behaviourOn } from '../archetypes/archetype-parameters';
import { DailyBehaviour } from '../archetypes/daily-behaviour';
import { scaleByBasisPoints } from '../money';
import { SeededRandom } from '../random/seeded-random';
import { OrderInFlight } from './event-factory';
import { MerchantIds } from './ids';
import { MerchantInventory, EmitEvent } from './merchant-inventory';
import { planOrder } from './order-plan';
import { SimulatedMerchant, UNITS_PER_ORDER } from './roster';
import { orderTimeOfDayMs } from './time-of-day';

/**
 * A tripwire, far above any archetype's volume even at the largest `ordersPerDayScale`:
 * reaching it means a rate went wrong, and the day stops growing rather than eat the heap.
 */
export const MAX_ORDERS_PER_MERCHANT_DAY = 100_000;
/** Out-of-stock SKUs cost sales: with every SKU out, half the orders are lost. */
const LOST_SALES_AT_FULL_STOCKOUT = 0.5;

/** Where new orders and warehouse events go (the market's agenda). */
export interface Schedule {
  readonly order: (order: OrderInFlight) => void;
  readonly event: EmitEvent;
}

export interface SimulatedDay {
  readonly dayIndex: number;
  readonly dayStartMs: number;
  /** 0 = Sunday, in UTC. */
  readonly weekday: number;
}

export interface MarketShape {
  readonly days: number;
  readonly startMs: number;
  readonly ordersPerDayScale: number;
}

/** One merchant's trading, decided one day at a time from its own random stream. */
export class MerchantSimulation {
  private ordersPlaced = 0;
  private readonly inventory: MerchantInventory;

  constructor(
    readonly profile: SimulatedMerchant,
    private readonly random: SeededRandom,
    private readonly ids: MerchantIds,
    private readonly market: MarketShape,
  ) {
    this.inventory = new MerchantInventory(profile, ids);
  }

  planDay(day: SimulatedDay, schedule: Schedule): void {
    const { profile, market } = this;
    const context = { dayIndex: day.dayIndex, days: market.days, traits: profile.traits };
    const behaviour = behaviourOn(profile.archetype, context, day.weekday);
    const expectedOrders = profile.ordersPerDay * market.ordersPerDayScale * behaviour.orderRateFactor;
    const unitsSoldByWarehouse = this.planOrders(day, behaviour, expectedOrders, schedule);
    const inventoryDay = { ...day, startMs: market.startMs, behaviour, expectedOrders, unitsSoldByWarehouse };
    this.inventory.planDay(inventoryDay, this.random, schedule.event);
  }

  /** Places the day's orders (each with its whole life planned); returns the units they took per warehouse. */
  private planOrders(
    day: SimulatedDay,
    behaviour: DailyBehaviour,
    expectedOrders: number,
    schedule: Schedule,
  ): number[] {
    const { profile, random, market } = this;
    const lostSales = LOST_SALES_AT_FULL_STOCKOUT * this.inventory.outOfStockShare(day.dayStartMs);
    const orderCount = Math.min(
      random.poisson(expectedOrders * (1 - lostSales)),
      MAX_ORDERS_PER_MERCHANT_DAY,
    );
    const orderValueMedianMinor = scaleByBasisPoints(
      profile.orderValueMedianMinor,
      behaviour.orderValueBasisPoints,
    );
    const orderValueSigma = ARCHETYPE_PARAMETERS[profile.archetype].orderValueSigma;
    const unitsSoldByWarehouse = profile.warehouseIds.map(() => 0);

    // Times first, sorted, so that order numbers follow the order in which orders were placed.
    const timesOfDayMs = Array.from({ length: orderCount }, () => orderTimeOfDayMs(random)).sort(
      (a, b) => a - b,
    );
    for (const timeOfDayMs of timesOfDayMs) {
      this.ordersPlaced += 1;
      const orderNumber = this.ordersPlaced;
      const placedAtMs = day.dayStartMs + timeOfDayMs;
      const plan = { placedAtMs, orderValueMedianMinor, orderValueSigma, behaviour, startMs: market.startMs };
      const steps = planOrder(plan, random);
      if (steps[1].type === 'order.paid') {
        const warehouse = random.int(0, unitsSoldByWarehouse.length - 1);
        unitsSoldByWarehouse[warehouse] += random.int(UNITS_PER_ORDER.min, UNITS_PER_ORDER.max);
      }
      schedule.order({
        merchantId: profile.merchantId,
        currency: profile.currency,
        orderId: this.ids.orderId(orderNumber),
        shipmentId: this.ids.shipmentId(orderNumber),
        settlementId: this.ids.settlementId(orderNumber),
        steps,
        next: 0,
      });
    }
    return unitsSoldByWarehouse;
  }
}
