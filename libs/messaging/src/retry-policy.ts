/**
 * The backoff between retries of a transient failure (a handler that threw, a dead letter
 * the broker did not take). Exponential, capped, with jitter so that the replicas that hit
 * the same outage do not retry in lockstep.
 */
export interface RetryPolicy {
  /** The delay before the second attempt. */
  readonly initialDelayMs: number;
  /** Each delay is the previous one times this (before the cap and the jitter). */
  readonly backoffFactor: number;
  /** No delay is ever longer than this. */
  readonly maxDelayMs: number;
  /**
   * The share of each delay taken off at random: 0 keeps delays exact, 0.2 draws each one
   * between 80% and 100% of its exponential value. Jitter only shortens, so the cap holds.
   */
  readonly jitterRatio: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 100,
  backoffFactor: 2,
  maxDelayMs: 10_000,
  jitterRatio: 0.2,
};

/**
 * The delay after failed attempt number `failedAttempt` (1 for the first failure), in whole
 * milliseconds. `random` returns a number in [0, 1): injected so that tests are exact.
 */
export function backoffDelayMs(failedAttempt: number, policy: RetryPolicy, random: () => number): number {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) {
    throw new RangeError(`failedAttempt must be a whole number >= 1, got ${failedAttempt}`);
  }
  // The power overflows to Infinity after ~1000 attempts at factor 2; Math.min absorbs it.
  const exponentialDelayMs = policy.initialDelayMs * policy.backoffFactor ** (failedAttempt - 1);
  const cappedDelayMs = Math.min(policy.maxDelayMs, exponentialDelayMs);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(cappedDelayMs * (1 - policy.jitterRatio * draw));
}
