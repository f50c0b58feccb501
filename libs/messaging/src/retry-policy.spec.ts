import fc from 'fast-check';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';

const exact: RetryPolicy = { initialDelayMs: 100, backoffFactor: 2, maxDelayMs: 10_000, jitterRatio: 0 };
const noRandom = () => 0;

describe('backoffDelayMs', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [7, 6_400],
    [8, 10_000], // 12 800 capped
    [50, 10_000],
    [5_000, 10_000], // the power overflows to Infinity; the cap still holds
  ])('without jitter, failure %i waits %i ms', (failedAttempt, expectedMs) => {
    expect(backoffDelayMs(failedAttempt, exact, noRandom)).toBe(expectedMs);
  });

  it.each([
    [0, 1_000],
    [0.5, 900],
    [0.999_999, 800],
  ])('with 20%% jitter and a draw of %f, a 1000 ms delay becomes %i ms', (draw, expectedMs) => {
    const policy = { ...exact, initialDelayMs: 1_000, jitterRatio: 0.2 };
    expect(backoffDelayMs(1, policy, () => draw)).toBe(expectedMs);
  });

  it('clamps a random source that strays outside [0, 1)', () => {
    const policy = { ...exact, jitterRatio: 1 };
    expect(backoffDelayMs(1, policy, () => -3)).toBe(100);
    expect(backoffDelayMs(1, policy, () => 7)).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses failed attempt %p', (failedAttempt) => {
    expect(() => backoffDelayMs(failedAttempt, DEFAULT_RETRY_POLICY, noRandom)).toThrow(RangeError);
  });

  it('never exceeds the cap nor falls below the jitter floor, for any policy and draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 300_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (initialDelayMs, backoffFactor, extraMaxMs, jitterRatio, failedAttempt, draw) => {
          const policy = {
            initialDelayMs,
            backoffFactor,
            maxDelayMs: initialDelayMs + extraMaxMs,
            jitterRatio,
          };
          const delayMs = backoffDelayMs(failedAttempt, policy, () => draw);
          const undisturbedMs = Math.min(
            policy.maxDelayMs,
            initialDelayMs * backoffFactor ** (failedAttempt - 1),
          );
          expect(delayMs).toBeLessThanOrEqual(policy.maxDelayMs);
          expect(delayMs).toBeGreaterThanOrEqual(Math.floor(undisturbedMs * (1 - jitterRatio)));
          expect(Number.isInteger(delayMs)).toBe(true);
        },
      ),
    );
  });

  it('grows (weakly) with each failure when there is no jitter', () => {
    const delays = Array.from({ length: 20 }, (_, index) => backoffDelayMs(index + 1, exact, noRandom));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });
});
