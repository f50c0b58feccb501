import { RelayWakeup } from './outbox-relay-wakeup';

const running = () => new AbortController().signal;

describe('RelayWakeup', () => {
  it('sleeps the full delay when nothing happens', async () => {
    const started = Date.now();
    await expect(new RelayWakeup().sleep(40, true, running())).resolves.toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('wakes at once on an insert notified during the sleep', async () => {
    const wakeup = new RelayWakeup();
    const started = Date.now();
    setTimeout(() => wakeup.notifyInsert(), 10);
    await expect(wakeup.sleep(60_000, true, running())).resolves.toBe('insert');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('remembers an insert notified while the round ran, and skips the next sleep once', async () => {
    const wakeup = new RelayWakeup();
    wakeup.notifyInsert();
    await expect(wakeup.sleep(60_000, true, running())).resolves.toBe('insert');
    await expect(wakeup.sleep(20, true, running())).resolves.toBe('timeout');
  });

  it('ignores inserts during a backoff, and forgets them (the next round reads every pending row anyway)', async () => {
    const wakeup = new RelayWakeup();
    wakeup.notifyInsert();
    setTimeout(() => wakeup.notifyInsert(), 5);
    await expect(wakeup.sleep(40, false, running())).resolves.toBe('timeout');
    await expect(wakeup.sleep(20, true, running())).resolves.toBe('timeout');
  });

  it('ends any sleep when stopped, and does not start one after', async () => {
    const wakeup = new RelayWakeup();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const started = Date.now();
    await expect(wakeup.sleep(60_000, false, controller.signal)).resolves.toBe('stopped');
    await expect(wakeup.sleep(60_000, true, controller.signal)).resolves.toBe('stopped');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('does not sleep a zero delay', async () => {
    await expect(new RelayWakeup().sleep(0, true, running())).resolves.toBe('timeout');
  });
});
