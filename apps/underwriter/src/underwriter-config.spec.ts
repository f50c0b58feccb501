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
    });
  });

  it('reads the budget as bigint minor units, beyond 2^53', () => {
    expect(
      underwriterOptionsFromEnv({ PORTFOLIO_BUDGET_MINOR: '9007199254740993' }).portfolioBudgetMinor,
    ).toBe(9_007_199_254_740_993n);
  });

  it.each([
    ['PORTFOLIO_BUDGET_MINOR', '5e10'],
    ['PORTFOLIO_BUDGET_MINOR', '-1'],
    ['PORTFOLIO_BUDGET_MINOR', '9223372036854775808'],
    ['PORTFOLIO_BUDGET_CURRENCY', 'cny'],
    ['PROFILE_KEY_PREFIX', 'has space'],
    ['UNDERWRITER_BATCH_SIZE', '0'],
    ['SILENCE_SWEEP_INTERVAL_MS', 'soon'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => underwriterOptionsFromEnv({ [variable]: value })).toThrow(InvalidEnvironmentError);
    expect(() => underwriterOptionsFromEnv({ [variable]: value })).toThrow(variable);
  });
});
