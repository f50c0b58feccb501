import { settlesWithin, sleep, waitWhileHeartbeating } from './interruptible-wait';

describe('waitWhileHeartbeating', () => {
  it('waits out the delay, heartbeating at least once per interval', async () => {
    let heartbeats = 0;
    const started = Date.now();
    const completed = await waitWhileHeartbeating({
      delayMs: 50,
      heartbeatIntervalMs: 10,
      heartbeat: async () => {
        heartbeats += 1;
      },
      signal: new AbortController().signal,
      shouldContinue: () => true,
    });
    expect(completed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(heartbeats).toBe(5);
  });

  it('returns false at once when the signal aborts mid-wait', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const completed = await waitWhileHeartbeating({
      delayMs: 60_000,
      heartbeatIntervalMs: 60_000,
      heartbeat: async () => undefined,
      signal: controller.signal,
      shouldContinue: () => true,
    });
    expect(completed).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('returns false when the partition is lost between slices', async () => {
    let slices = 0;
    const completed = await waitWhileHeartbeating({
      delayMs: 1_000,
      heartbeatIntervalMs: 5,
      heartbeat: async () => {
        slices += 1;
      },
      signal: new AbortController().signal,
      shouldContinue: () => slices < 2,
    });
    expect(completed).toBe(false);
    expect(slices).toBe(2);
  });

  it('lets a heartbeat failure through', async () => {
    await expect(
      waitWhileHeartbeating({
        delayMs: 5,
        heartbeatIntervalMs: 5,
        heartbeat: async () => {
          throw new Error('rebalancing');
        },
        signal: new AbortController().signal,
        shouldContinue: () => true,
      }),
    ).rejects.toThrow('rebalancing');
  });
});

describe('sleep', () => {
  it('resolves at once on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = Date.now();
    await sleep(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('settlesWithin', () => {
  it.each([
    ['settles in time', 5, 200, true],
    ['does not', 200, 5, false],
  ])('says whether a promise %s', async (_name, settleAfterMs, timeoutMs, expected) => {
    const promise = new Promise((resolve) => setTimeout(resolve, settleAfterMs));
    expect(await settlesWithin(promise, timeoutMs)).toBe(expected);
  });

  it('passes a rejection on', async () => {
    await expect(settlesWithin(Promise.reject(new Error('boom')), 100)).rejects.toThrow('boom');
  });
});
