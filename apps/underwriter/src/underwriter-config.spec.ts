import { InvalidEnvironmentError } from '@lendstream/platform';
import { underwriterOptionsFromEnv } from './underwriter-config';

describe('underwriterOptionsFromEnv', () => {
  it('defaults to the local stack and a 500-million-yuan budget', () => {
    const options = underwriterOptionsFromEnv({});
    expect(options).toMatchObject({
      profileKeyPrefix: 'lp',
      groupId: 'lendstream-underwriter',
      portfolioBudgetMinor: 50_000_000_000n,
      portfolioBudgetCurrency: 'CNY',
      silenceSweepIntervalMs: 60_000,
      budgetSweepIntervalMs: 30_000,
      budgetSweepLines: 1_000,
    });
  });

  it('reads the budget as bigint minor units, beyond 2^53', () => {
    expect(
      underwriterOptionsFromEnv({ PORTFOLIO_BUDGET_MINOR: '9007199254740993' }).portfolioBudgetMinor,
    ).toBe(9_007_199_254_740_993n);
  });

  it('turns the budget sweep off with 0 and bounds its lines', () => {
    expect(
      underwriterOptionsFromEnv({ BUDGET_SWEEP_INTERVAL_MS: '0', BUDGET_SWEEP_LINES: '25' }),
    ).toMatchObject({ budgetSweepIntervalMs: 0, budgetSweepLines: 25 });
  });

  it.each([
    ['PORTFOLIO_BUDGET_MINOR', '5e10'],
    ['PORTFOLIO_BUDGET_MINOR', '-1'],
    ['PORTFOLIO_BUDGET_MINOR', '9223372036854775808'],
    ['PORTFOLIO_BUDGET_CURRENCY', 'cny'],
    ['PROFILE_KEY_PREFIX', 'has space'],
    ['UNDERWRITER_BATCH_SIZE', '0'],
    ['SILENCE_SWEEP_INTERVAL_MS', 'soon'],
    ['BUDGET_SWEEP_INTERVAL_MS', '-5'],
    ['BUDGET_SWEEP_LINES', '0'],
    ['BUDGET_SWEEP_LINES', '1001'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => underwriterOptionsFromEnv({ [variable]: value })).toThrow(InvalidEnvironmentError);
    expect(() => underwriterOptionsFromEnv({ [variable]: value })).toThrow(variable);
  });
});
