import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { rebalanceBudget, type UnderwritingOutcome } from '@lendstream/credit';
import { BudgetSweepScheduler, BUDGET_SWEEP_NUDGE_DELAY_MS, mayFreeHeadroom } from './budget-sweep.scheduler';
import { underwriterOptionsFromEnv } from './underwriter-config';
import type { PortfolioBudgetSeeder } from './underwriting.providers';

jest.mock('@lendstream/credit', () => ({
  ...jest.requireActual('@lendstream/credit'),
  rebalanceBudget: jest.fn(),
}));
const rebalance = rebalanceBudget as jest.MockedFunction<typeof rebalanceBudget>;

const report = (candidates: number) => ({
  decided: candidates,
  moved: 0,
  currencies: [
    {
      currency: 'CNY',
      budgetMinor: 1n,
      round: 'r',
      overShare: candidates,
      squeezed: 0,
      decided: candidates,
      moved: 0,
    },
  ],
});

function schedulerWith(env: Record<string, string>, seeded: Promise<void> = Promise.resolve()) {
  const seeder = { seeded: () => seeded } as unknown as PortfolioBudgetSeeder;
  return new BudgetSweepScheduler(
    {} as DataSource,
    { readWindows: async () => null },
    underwriterOptionsFromEnv(env),
    seeder,
  );
}

const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('BudgetSweepScheduler', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    jest.useFakeTimers();
    rebalance.mockReset();
    rebalance.mockResolvedValue(report(0));
  });
  afterEach(() => jest.useRealTimers());

  it('sweeps at boot only once the budget is seeded, then every interval', async () => {
    let seed!: () => void;
    const scheduler = schedulerWith(
      { BUDGET_SWEEP_INTERVAL_MS: '5000' },
      new Promise((resolve) => (seed = resolve)),
    );
    scheduler.onApplicationBootstrap();
    await settle();
    expect(rebalance).not.toHaveBeenCalled();
    seed();
    await settle();
    expect(rebalance).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(rebalance).toHaveBeenCalledTimes(2);
    await scheduler.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(rebalance).toHaveBeenCalledTimes(2);
  });

  it('does nothing when the interval is 0, not even on request', async () => {
    const scheduler = schedulerWith({ BUDGET_SWEEP_INTERVAL_MS: '0' });
    scheduler.onApplicationBootstrap();
    scheduler.requestSweep();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(rebalance).not.toHaveBeenCalled();
  });

  it('coalesces a burst of requests into one sweep soon after, and passes its bound', async () => {
    const scheduler = schedulerWith({ BUDGET_SWEEP_INTERVAL_MS: '600000', BUDGET_SWEEP_LINES: '7' });
    scheduler.onApplicationBootstrap();
    await settle();
    expect(rebalance).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i += 1) scheduler.requestSweep();
    await jest.advanceTimersByTimeAsync(BUDGET_SWEEP_NUDGE_DELAY_MS);
    expect(rebalance).toHaveBeenCalledTimes(2);
    expect(rebalance.mock.calls[1]![3]).toEqual({ linesMax: 7 });
    await scheduler.beforeApplicationShutdown();
  });

  it('sweeps again at once while a sweep uses its whole bound', async () => {
    rebalance.mockResolvedValueOnce(report(3)).mockResolvedValueOnce(report(3)).mockResolvedValue(report(1));
    const scheduler = schedulerWith({ BUDGET_SWEEP_INTERVAL_MS: '600000', BUDGET_SWEEP_LINES: '3' });
    scheduler.onApplicationBootstrap();
    await settle();
    await settle();
    expect(rebalance).toHaveBeenCalledTimes(3);
    await scheduler.beforeApplicationShutdown();
  });

  it('keeps running after a failed sweep', async () => {
    rebalance.mockRejectedValueOnce(new Error('Postgres is down'));
    const scheduler = schedulerWith({ BUDGET_SWEEP_INTERVAL_MS: '1000', LOG_LEVEL: 'fatal' });
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(rebalance).toHaveBeenCalledTimes(2);
    await scheduler.beforeApplicationShutdown();
  });
});

describe('mayFreeHeadroom', () => {
  const decided = (
    event: UnderwritingOutcome extends infer O ? (O extends { event: infer E } ? E : never) : never,
  ) => ({ kind: 'decided', decisionId: 'd', event, line: null }) as UnderwritingOutcome;
  it.each([
    ['credit-line.adjusted', true],
    ['credit-line.frozen', true],
    ['credit-line.closed', true],
    ['credit-line.granted', false],
    ['credit-line.unfrozen', false],
    [null, false],
  ] as const)('%s → %s', (event, expected) => {
    expect(mayFreeHeadroom([{ kind: 'duplicate' }, decided(event)])).toBe(expected);
  });
});
