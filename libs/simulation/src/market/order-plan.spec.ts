import fc from 'fast-check';
import { BASELINE_BEHAVIOUR, DailyBehaviour } from '../archetypes/daily-behaviour';
import { SeededRandom } from '../random/seeded-random';
import { DAY_MS } from './market-config';
import { OrderStep, planOrder, SETTLEMENT_CYCLE_DAYS } from './order-plan';

const START_MS = Date.UTC(2026, 7, 1);
const probability = fc.double({ min: 0, max: 1, noNaN: true });

const behaviourArbitrary: fc.Arbitrary<DailyBehaviour> = fc
  .record({
    cancelRate: probability,
    refundRate: probability,
    fullRefundShare: probability,
    returnRate: probability,
    onTimeRate: probability,
    lateHoursMax: fc.integer({ min: 1, max: 240 }),
  })
  .map((rates) => ({ ...BASELINE_BEHAVIOUR, ...rates }));

const find = (steps: readonly OrderStep[], type: OrderStep['type']) =>
  steps.find((step) => step.type === type);

function plan(seed: string, behaviour: DailyBehaviour, median = 10_000n): OrderStep[] {
  const placedAtMs = START_MS + 3 * DAY_MS + 12 * 3_600_000;
  return planOrder(
    { placedAtMs, orderValueMedianMinor: median, orderValueSigma: 0.5, behaviour, startMs: START_MS },
    new SeededRandom(seed),
  );
}

describe('planOrder', () => {
  it('keeps every order consistent, whatever the rates (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        behaviourArbitrary,
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (seed, behaviour, median) => {
          const steps = plan(seed, behaviour, median);
          const placed = steps[0];
          expect(placed.type).toBe('order.placed');
          steps
            .slice(1)
            .forEach((step, index) => expect(step.atMs).toBeGreaterThanOrEqual(steps[index].atMs));
          expect(new Set(steps.map((step) => step.type)).size).toBe(steps.length); // each step at most once

          const cancelled = find(steps, 'order.cancelled');
          if (cancelled) {
            expect(steps.map((step) => step.type)).toEqual(['order.placed', 'order.cancelled']);
            return;
          }
          const paid = find(steps, 'order.paid')!;
          const delivered = find(steps, 'shipment.delivered')!;
          const dispatched = find(steps, 'shipment.dispatched')!;
          expect(paid.amountMinor).toBe(placed.amountMinor);
          expect(dispatched.promisedAtMs).toBe(delivered.promisedAtMs);
          expect(delivered.promisedAtMs).toBeGreaterThan(dispatched.atMs);

          const refunded = find(steps, 'order.refunded')?.amountMinor ?? 0n;
          expect(refunded).toBeGreaterThanOrEqual(0n);
          expect(refunded).toBeLessThanOrEqual(paid.amountMinor);
          if (find(steps, 'shipment.returned')) expect(refunded).toBe(paid.amountMinor);

          const settled = find(steps, 'order.settled');
          if (refunded === paid.amountMinor) {
            expect(settled).toBeUndefined();
          } else {
            expect(settled!.amountMinor).toBe(paid.amountMinor - refunded);
            expect(steps[steps.length - 1]).toBe(settled);
            const settlementDay = Math.floor((settled!.atMs - START_MS) / DAY_MS);
            const paymentDay = Math.floor((paid.atMs - START_MS) / DAY_MS);
            expect(settlementDay).toBeGreaterThanOrEqual(paymentDay + SETTLEMENT_CYCLE_DAYS);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each<[string, Partial<DailyBehaviour>, (steps: OrderStep[]) => boolean]>([
    ['always cancelled', { cancelRate: 1 }, (steps) => find(steps, 'order.cancelled') !== undefined],
    [
      'always on time',
      { cancelRate: 0, onTimeRate: 1 },
      (steps) => find(steps, 'shipment.delivered')!.atMs <= find(steps, 'shipment.delivered')!.promisedAtMs,
    ],
    [
      'always late',
      { cancelRate: 0, onTimeRate: 0 },
      (steps) => find(steps, 'shipment.delivered')!.atMs > find(steps, 'shipment.delivered')!.promisedAtMs,
    ],
    [
      'always returned, so never settled',
      { cancelRate: 0, returnRate: 1 },
      (steps) => find(steps, 'shipment.returned') !== undefined && find(steps, 'order.settled') === undefined,
    ],
    [
      'always partly refunded, so settled for the rest',
      { cancelRate: 0, returnRate: 0, refundRate: 1, fullRefundShare: 0 },
      (steps) =>
        find(steps, 'order.settled')!.amountMinor + find(steps, 'order.refunded')!.amountMinor ===
        find(steps, 'order.paid')!.amountMinor,
    ],
    [
      'never refunded, so settled in full',
      { cancelRate: 0, returnRate: 0, refundRate: 0 },
      (steps) => find(steps, 'order.settled')!.amountMinor === find(steps, 'order.paid')!.amountMinor,
    ],
  ])('%s', (_case, change, holds) => {
    for (let seed = 0; seed < 200; seed += 1) {
      expect(holds(plan(String(seed), { ...BASELINE_BEHAVIOUR, ...change }))).toBe(true);
    }
  });
});
