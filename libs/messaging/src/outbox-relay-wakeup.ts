/**
 * The relay's sleep between rounds, which an insert notification can cut short. A
 * notification that arrives while a round runs is remembered, so the next sleep ends at
 * once: a row committed during a publish never waits a whole poll interval.
 */
export type WakeReason = 'insert' | 'timeout' | 'stopped';

export class RelayWakeup {
  private notified = false;
  private wakeSleeper: (() => void) | undefined;

  /** An insert was committed; wakes a sleep that allows it, or the next one. */
  notifyInsert(): void {
    this.notified = true;
    this.wakeSleeper?.();
  }

  /**
   * Sleeps `delayMs`, or less: until a notification when `wakeOnInsert`, and until `signal`
   * aborts in any case. A pending notification is consumed either way, because the round
   * that follows reads every pending row.
   */
  sleep(delayMs: number, wakeOnInsert: boolean, signal: AbortSignal): Promise<WakeReason> {
    if (signal.aborted) return Promise.resolve('stopped');
    if (wakeOnInsert && this.notified) {
      this.notified = false;
      return Promise.resolve('insert');
    }
    if (delayMs <= 0) {
      this.notified = false;
      return Promise.resolve('timeout');
    }
    return new Promise((resolve) => {
      const finish = (reason: WakeReason): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wakeSleeper = undefined;
        this.notified = false;
        resolve(reason);
      };
      const onAbort = (): void => finish('stopped');
      const timer = setTimeout(() => finish('timeout'), delayMs);
      signal.addEventListener('abort', onAbort, { once: true });
      if (wakeOnInsert) this.wakeSleeper = () => finish('insert');
    });
  }
}
