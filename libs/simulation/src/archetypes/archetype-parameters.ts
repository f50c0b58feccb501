import { Archetype, MerchantTraits } from './archetype';
import { BASELINE_BEHAVIOUR, DailyBehaviour, Range } from './daily-behaviour';

/** Where a merchant is in the run, for archetypes whose behaviour changes over time. */
export interface DayContext {
  /** 0 on the first simulated day. */
  readonly dayIndex: number;
  /** Length of the run in days. */
  readonly days: number;
  readonly traits: MerchantTraits;
}

/** What defines an archetype: the merchant's scale, its stock, and how its days go. */
export interface ArchetypeParameters {
  /** Why the archetype exists: what it should make the credit policy do. */
  readonly intent: string;
  /** Base daily order count, drawn once per merchant (before `ordersPerDayScale`). */
  readonly ordersPerDay: Range;
  /** Median order value in minor units, drawn once per merchant. */
  readonly orderValueMedianMinor: { readonly min: bigint; readonly max: bigint };
  /** Spread of order values (sigma of the log-normal). */
  readonly orderValueSigma: number;
  readonly skus: Range;
  readonly warehouses: Range;
  /** Days of sales the merchant holds in the platform's warehouses. */
  readonly stockCoverDays: Range;
  /** Weekend order uplift (weekdays get the matching dip so a week averages about 1). */
  readonly weekendUplift: number;
  /** What differs from the baseline on every day. */
  readonly behaviour: Partial<DailyBehaviour>;
  /** What changes with the day: a trend, a cycle, a phase of the run. */
  readonly phase?: (context: DayContext) => Partial<DailyBehaviour>;
}

/** Share of the run elapsed at the start of the day, in [0, 1). */
const runShare = ({ dayIndex, days }: DayContext): number => dayIndex / days;

/** Stock-out-prone merchants get much worse from here on, so a line is seen freezing mid-run. */
export const STOCKOUT_LATE_PHASE_START = 0.6;
/** The bust-out's phases, as shares of the run: a clean ramp, the spike, then the ending. */
export const BUST_OUT_SPIKE_START = 0.55;
export const BUST_OUT_SPIKE_END = 0.7;

const ordinaryScale = {
  orderValueMedianMinor: { min: 6_000n, max: 30_000n },
  orderValueSigma: 0.5,
  skus: { min: 8, max: 20 },
  warehouses: { min: 1, max: 2 },
  stockCoverDays: { min: 20, max: 40 },
  weekendUplift: 1.15,
} as const;

export const ARCHETYPE_PARAMETERS: Readonly<Record<Archetype, ArchetypeParameters>> = {
  steady: {
    intent: 'The reference: stable volumes and clean metrics; should earn a line that barely moves.',
    ordersPerDay: { min: 4, max: 12 },
    ...ordinaryScale,
    behaviour: {},
  },
  growing: {
    intent: 'Compound growth (1-2 %/day, capped at 4×): the trading cap and the line should rise.',
    ordersPerDay: { min: 3, max: 8 },
    ...ordinaryScale,
    stockCoverDays: { min: 15, max: 30 },
    behaviour: {},
    phase: ({ dayIndex, traits }) => ({
      orderRateFactor: Math.min(4, 0.7 * (1 + traits.growthPerDay) ** dayIndex),
    }),
  },
  seasonal: {
    intent: 'A 28-day cycle (±60 %) and strong weekends: windows must not mistake a trough for decline.',
    ordersPerDay: { min: 4, max: 12 },
    ...ordinaryScale,
    weekendUplift: 1.35,
    behaviour: {},
    phase: ({ dayIndex, traits }) => ({
      orderRateFactor: 1 + 0.6 * Math.sin((2 * Math.PI * (dayIndex + traits.seasonOffsetDays)) / 28),
    }),
  },
  declining: {
    intent: 'Orders fall 2 %/day (to a floor of 15 %) while cancellations creep up: the line should shrink.',
    ordersPerDay: { min: 6, max: 16 },
    ...ordinaryScale,
    behaviour: { onTimeRate: 0.9 },
    phase: (context) => ({
      orderRateFactor: Math.max(0.15, 1.3 * 0.98 ** context.dayIndex),
      cancelRate: 0.04 + 0.08 * runShare(context),
    }),
  },
  'stockout-prone': {
    intent:
      'Thin stock (5-10 days of cover) and many SKUs: a few stock-outs a month, five times as many in ' +
      'the last 40 % of the run with slow restocks, so STOCKOUT_RATE_HIGH freezes the line mid-run.',
    ordersPerDay: { min: 4, max: 12 },
    ...ordinaryScale,
    skus: { min: 15, max: 40 },
    stockCoverDays: { min: 5, max: 10 },
    behaviour: { stockoutsPerSkuPerDay: 0.006, restockDays: { min: 1, max: 4 } },
    phase: (context) =>
      runShare(context) >= STOCKOUT_LATE_PHASE_START
        ? { stockoutsPerSkuPerDay: 0.03, restockDays: { min: 3, max: 8 } }
        : {},
  },
  'refund-heavy': {
    intent: 'About a third of paid orders come back as refunds or returns: REFUND_RATE_HIGH should bite.',
    ordersPerDay: { min: 4, max: 12 },
    ...ordinaryScale,
    behaviour: { cancelRate: 0.1, refundRate: 0.2, fullRefundShare: 0.65, returnRate: 0.12 },
  },
  'late-shipper': {
    intent: 'Slow dispatch and only 55 % on time, up to 5 days late: LATE_DELIVERY_RATE_HIGH should bite.',
    ordersPerDay: { min: 4, max: 12 },
    ...ordinaryScale,
    behaviour: { onTimeRate: 0.55, dispatchHours: { min: 20, max: 72 }, lateHoursMax: 120 },
  },
  'bust-out': {
    intent:
      'Fraud: a clean, slowly growing ramp with well-stocked warehouses (55 % of the run), then a ' +
      'spike (6× orders at 1.8× value, stock sold down), then either mass refunds and returns with ' +
      'restocking stopped, or silence (no orders, no stock-outs, goods withdrawn). The policy should stop lending ' +
      'at the spike, before the ending.',
    ordersPerDay: { min: 3, max: 8 },
    ...ordinaryScale,
    orderValueMedianMinor: { min: 8_000n, max: 30_000n },
    stockCoverDays: { min: 30, max: 50 },
    behaviour: {},
    phase: (context) => {
      const share = runShare(context);
      const massRefunds = context.traits.bustOutEnding === 'mass-refunds';
      if (share < BUST_OUT_SPIKE_START) {
        return {
          orderRateFactor: 0.8 + (0.5 * share) / BUST_OUT_SPIKE_START,
          refundRate: 0.015,
          returnRate: 0.01,
          onTimeRate: 0.97,
          stockCoverFactor: 1.5,
        };
      }
      if (share < BUST_OUT_SPIKE_END) {
        const clawedBack = { refundRate: 0.3, fullRefundShare: 0.95, returnRate: 0.3 };
        return {
          orderRateFactor: 6,
          orderValueBasisPoints: 18_000,
          cancelRate: 0.01,
          stockCoverFactor: 0.5,
          // Spike orders that end in mass refunds come back days later, after the spike.
          ...(massRefunds ? { ...clawedBack, refundDelayHours: { min: 72, max: 240 } } : {}),
        };
      }
      if (massRefunds) {
        return {
          orderRateFactor: 0.3,
          refundRate: 0.5,
          fullRefundShare: 0.95,
          returnRate: 0.35,
          onTimeRate: 0.4,
          restocking: false,
        };
      }
      // Silence: the shop stops trading (so nothing sells out either) and empties the warehouse.
      return { orderRateFactor: 0, stockoutsPerSkuPerDay: 0, restocking: false, stockCoverFactor: 0 };
    },
  },
};

/** The weekday swing: weekends up, weekdays down by the matching amount (5 × dip = 2 × lift). */
const weekdayFactor = (weekday: number, weekendUplift: number): number => {
  const isWeekend = weekday === 0 || weekday === 6;
  return isWeekend ? weekendUplift : 1 - (2 * (weekendUplift - 1)) / 5;
};

/** How a merchant of `archetype` trades on the day described by `context` (UTC `weekday`, 0 = Sunday). */
export function behaviourOn(archetype: Archetype, context: DayContext, weekday: number): DailyBehaviour {
  const parameters = ARCHETYPE_PARAMETERS[archetype];
  const shaped = { ...parameters.behaviour, ...parameters.phase?.(context) };
  const orderRateFactor = (shaped.orderRateFactor ?? 1) * weekdayFactor(weekday, parameters.weekendUplift);
  return { ...BASELINE_BEHAVIOUR, ...shaped, orderRateFactor };
}
