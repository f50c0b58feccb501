/**
 * Waiting between retries without losing the partition: the wait is cut into slices no
 * longer than the heartbeat interval, with a heartbeat after each, and it ends early when
 * the consumer is shutting down (the signal) or the partition is no longer ours.
 */

/** Resolves after `delayMs`, or as soon as `signal` aborts. Never rejects. */
export function sleep(delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || delayMs <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface HeartbeatingWait {
  readonly delayMs: number;
  readonly heartbeatIntervalMs: number;
  /** Errors propagate: a heartbeat that fails because the group rebalances must reach the client. */
  readonly heartbeat: () => Promise<void>;
  readonly signal: AbortSignal;
  /** Checked after every slice; false ends the wait early. */
  readonly shouldContinue: () => boolean;
}

/** Waits out `delayMs`; true if it did, false if it was cut short. */
export async function waitWhileHeartbeating(wait: HeartbeatingWait): Promise<boolean> {
  const sliceMs = Math.max(1, Math.min(wait.heartbeatIntervalMs, wait.delayMs));
  // Bounded: the number of slices is fixed by the delay and the slice length.
  const sliceCount = Math.max(1, Math.ceil(wait.delayMs / sliceMs));
  for (let slice = 0; slice < sliceCount; slice += 1) {
    if (wait.signal.aborted || !wait.shouldContinue()) return false;
    await sleep(Math.min(sliceMs, wait.delayMs - slice * sliceMs), wait.signal);
    if (wait.signal.aborted) return false;
    await wait.heartbeat();
  }
  return !wait.signal.aborted && wait.shouldContinue();
}

/** Whether `promise` settles within `timeoutMs`; a rejection within the time propagates. */
export async function settlesWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
