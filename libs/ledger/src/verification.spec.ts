import { assertCheckNames, checkOutcome, ledgerVerification, MAX_BREACHES_PER_CHECK } from './verification';

const check = { name: 'entries-balance', description: "every journal entry's debits equal its credits" };
const breaches = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ subject: `entry ${index}`, detail: 'd' }));

describe('checkOutcome', () => {
  it.each([
    ['no breach', 0, 0, false],
    ['one breach', 1, 1, false],
    ['as many breaches as a check keeps', MAX_BREACHES_PER_CHECK, MAX_BREACHES_PER_CHECK, false],
    ['one breach more than a check keeps', MAX_BREACHES_PER_CHECK + 1, MAX_BREACHES_PER_CHECK, true],
  ])('keeps %s, and says whether it cut any', (_label, found, kept, truncated) => {
    const outcome = checkOutcome(check, breaches(found));
    expect(outcome).toMatchObject({ ...check, truncated, error: null });
    expect(outcome.breaches).toHaveLength(kept);
    expect(outcome.breaches[0]).toEqual(found > 0 ? { subject: 'entry 0', detail: 'd' } : undefined);
  });

  it('records a check that could not run by its error', () => {
    expect(checkOutcome(check, new Error('relation "journal_lines" does not exist'))).toEqual({
      ...check,
      breaches: [],
      truncated: false,
      error: 'relation "journal_lines" does not exist',
    });
    expect(checkOutcome(check, new TypeError('')).error).toBe('TypeError');
  });
});

describe('ledgerVerification', () => {
  it.each([
    ['no check at all', [], true, 0, 0],
    [
      'checks with no breach',
      [checkOutcome(check, []), checkOutcome({ ...check, name: 'b' }, [])],
      true,
      0,
      0,
    ],
    ['a breach', [checkOutcome(check, []), checkOutcome({ ...check, name: 'b' }, breaches(3))], false, 3, 0],
    ['a check that could not run', [checkOutcome(check, new Error('down'))], false, 0, 1],
  ])('of %s', (_label, outcomes, ok, breachCount, errorCount) => {
    expect(ledgerVerification(outcomes)).toEqual({ outcomes, ok, breachCount, errorCount });
  });
});

describe('assertCheckNames', () => {
  it('accepts unique lower-case names joined by "-"', () => {
    expect(() =>
      assertCheckNames(['entries-balance', 'no-negative-balances', 'loan-balances-v2']),
    ).not.toThrow();
  });

  it.each([
    [['Entries-Balance'], /must be lower-case words/],
    [['entries balance'], /must be lower-case words/],
    [['-entries'], /must be lower-case words/],
    [[''], /must be lower-case words/],
    [['entries-balance', 'entries-balance'], /two ledger checks are named entries-balance/],
  ])('refuses %j', (names, message) => {
    expect(() => assertCheckNames(names)).toThrow(message);
  });
});
