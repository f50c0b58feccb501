import { DailyBehaviour, Range } from '../archetypes/daily-behaviour';
import { scaleByBasisPoints } from '../money';
import { SeededRandom } from '../random/seeded-random';
import { DAY_MS } from './market-config';
import { HOUR_MS, MINUTE_MS } from './time-of-day';

export type OrderStepType =
  | 'order.placed'
  | 'order.paid'
  | 'order.cancelled'
  | 'order.refunded'
  | 'order.settled'
  | 'shipment.dispatched'
  | 'shipment.delivered'
  | 'shipment.returned';

/**
 * One thing that happens to an order. Every step has the same fields (unused ones are 0)
 * so the engine sees one object shape: the hot loop stays monomorphic and fast.
 */
export interface OrderStep {
  readonly type: OrderStepType;
  readonly atMs: number;
  /** The money of a placed, paid, refunded or settled step; 0n otherwise. */
  readonly amountMinor: bigint;
  /** The carrier's promise on a dispatched or delivered step; 0 otherwise. */
  readonly promisedAtMs: number;
}

export interface OrderPlanInput {
  readonly placedAtMs: number;
  /** Median order value for the day (the merchant's, scaled by the day's behaviour). */
  readonly orderValueMedianMinor: bigint;
  readonly orderValueSigma: number;
  readonly behaviour: DailyBehaviour;
  /** Midnight of the run's first day: settlement runs happen on simulated days. */
  readonly startMs: number;
}

/**
 * Settlement: the platform releases an order's proceeds at its daily settlement run
 * (02:00-02:45 UTC, 10:00 in China) on the T+7 cycle after payment, and holds an order with
 * a return or refund still open until the run after it closes. That is why a settlement
 * always comes last and never exceeds what was paid less what was refunded.
 */
export const SETTLEMENT_CYCLE_DAYS = 7;
const SETTLEMENT_RUN_HOUR_UTC = 2;
const SETTLEMENT_RUN_SPREAD_MS = 45 * MINUTE_MS;

/** Partial refunds give back 10-50 % of the order (basis points). */
const PARTIAL_REFUND_BASIS_POINTS = { min: 1_000, max: 5_000 } as const;
/** The carrier promises delivery 2-4 days after dispatch. */
const PROMISE_HOURS: Range = { min: 48, max: 96 };
/** Buyers pay within 5 s to 20 min of ordering, or cancel within 1 min to 6 h. */
const PAYMENT_DELAY_MS = { min: 5_000, max: 20 * MINUTE_MS } as const;
const CANCEL_DELAY_MS = { min: MINUTE_MS, max: 6 * HOUR_MS } as const;
/** A return comes back 1-5 days after delivery and is refunded 2-48 h after that. */
const RETURN_DELAY_MS = { min: DAY_MS, max: 5 * DAY_MS } as const;
const RETURN_REFUND_DELAY_MS = { min: 2 * HOUR_MS, max: 48 * HOUR_MS } as const;

const step = (type: OrderStepType, atMs: number, amountMinor = 0n, promisedAtMs = 0): OrderStep => ({
  type,
  atMs,
  amountMinor,
  promisedAtMs,
});

const after = (random: SeededRandom, atMs: number, delayMs: Range): number =>
  atMs + random.int(delayMs.min, delayMs.max);

const hoursToMs = (range: Range): Range => ({ min: range.min * HOUR_MS, max: range.max * HOUR_MS });

/**
 * The whole life of one order, decided when it is placed: every draw happens up front, so
 * a merchant's random stream is consumed in the same order however the steps interleave
 * with other merchants' later on. The steps come back in time order and are emitted one at
 * a time, when due. An order is cancelled before payment, or paid, shipped and delivered;
 * then maybe returned (refunded in full) or refunded on a complaint (in full or in part),
 * at most one refund per order; then settled, unless nothing is left to settle.
 */
export function planOrder(input: OrderPlanInput, random: SeededRandom): OrderStep[] {
  const { placedAtMs, behaviour } = input;
  const amountMinor = random.logNormalMinor(input.orderValueMedianMinor, input.orderValueSigma);
  const steps: OrderStep[] = [step('order.placed', placedAtMs, amountMinor)];

  if (random.chance(behaviour.cancelRate)) {
    steps.push(step('order.cancelled', after(random, placedAtMs, CANCEL_DELAY_MS)));
    return steps;
  }

  const paidAtMs = after(random, placedAtMs, PAYMENT_DELAY_MS);
  const dispatchedAtMs = after(random, paidAtMs, hoursToMs(behaviour.dispatchHours));
  const promisedAtMs = after(random, dispatchedAtMs, hoursToMs(PROMISE_HOURS));
  const deliveredAtMs = random.chance(behaviour.onTimeRate)
    ? dispatchedAtMs + Math.floor((promisedAtMs - dispatchedAtMs) * random.between(0.3, 1))
    : after(random, promisedAtMs, { min: HOUR_MS, max: behaviour.lateHoursMax * HOUR_MS });
  steps.push(
    step('order.paid', paidAtMs, amountMinor),
    step('shipment.dispatched', dispatchedAtMs, 0n, promisedAtMs),
    step('shipment.delivered', deliveredAtMs, 0n, promisedAtMs),
  );

  let refundedMinor = 0n;
  if (random.chance(behaviour.returnRate)) {
    const returnedAtMs = after(random, deliveredAtMs, RETURN_DELAY_MS);
    refundedMinor = amountMinor;
    steps.push(
      step('shipment.returned', returnedAtMs),
      step('order.refunded', after(random, returnedAtMs, RETURN_REFUND_DELAY_MS), refundedMinor),
    );
  } else if (random.chance(behaviour.refundRate)) {
    const full = random.chance(behaviour.fullRefundShare);
    const share = random.int(PARTIAL_REFUND_BASIS_POINTS.min, PARTIAL_REFUND_BASIS_POINTS.max);
    const partialMinor = scaleByBasisPoints(amountMinor, share);
    refundedMinor = full || partialMinor === 0n ? amountMinor : partialMinor;
    const refundedAtMs = after(random, deliveredAtMs, hoursToMs(behaviour.refundDelayHours));
    steps.push(step('order.refunded', refundedAtMs, refundedMinor));
  }

  const lastAtMs = steps[steps.length - 1].atMs;
  const dayOf = (atMs: number) => Math.floor((atMs - input.startMs) / DAY_MS);
  const settlementDay = Math.max(dayOf(paidAtMs) + SETTLEMENT_CYCLE_DAYS, dayOf(lastAtMs) + 1);
  const settlementRunMs = input.startMs + settlementDay * DAY_MS + SETTLEMENT_RUN_HOUR_UTC * HOUR_MS;
  const settledAtMs = settlementRunMs + random.int(0, SETTLEMENT_RUN_SPREAD_MS);
  // A fully refunded order leaves nothing to release, so it gets no settlement.
  if (amountMinor > refundedMinor)
    steps.push(step('order.settled', settledAtMs, amountMinor - refundedMinor));
  assertChronological(steps);
  return steps;
}

/** The steps are built in order; an out-of-order plan is a bug in this file, not bad luck. */
function assertChronological(steps: readonly OrderStep[]): void {
  for (let index = 1; index < steps.length; index += 1) {
    if (steps[index].atMs < steps[index - 1].atMs) {
      throw new Error(`order plan out of order: ${steps[index - 1].type} after ${steps[index].type}`);
    }
  }
}
