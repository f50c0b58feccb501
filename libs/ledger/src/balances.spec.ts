import fc from 'fast-check';
import { ACCOUNT_CODES, AccountCode, naturalBalance } from './accounts';
import { AccountTotals, LoanAccountTotals, loanBalancesFrom, trialBalance } from './balances';
import { JournalLine, totalsOf } from './journal-entry';

const totals = (
  currency: string,
  account: AccountCode,
  debitMinor: bigint,
  creditMinor: bigint,
): AccountTotals => ({
  currency,
  account,
  debitMinor,
  creditMinor,
});

describe('naturalBalance', () => {
  it.each<[AccountCode, bigint, bigint, bigint]>([
    ['LOANS_RECEIVABLE', 100n, 30n, 70n],
    ['LOANS_RECEIVABLE', 30n, 100n, -70n],
    ['WRITE_OFF_EXPENSE', 5n, 0n, 5n],
    ['DISBURSEMENTS_PAYABLE', 30n, 100n, 70n],
    ['INTEREST_INCOME', 0n, 9n, 9n],
    ['INTEREST_INCOME', 10n, 9n, -1n],
    ['TREASURY_CLEARING', 0n, 500n, -500n],
  ])('%s with debits %d and credits %d is %d', (account, debit, credit, balance) => {
    expect(naturalBalance(account, debit, credit)).toBe(balance);
  });
});

describe('trialBalance', () => {
  it('of an empty book has no currency and balances', () => {
    expect(trialBalance([])).toEqual({ currencies: [], balanced: true });
  });

  it('lists every account of the chart per currency, in chart order, with zeros where there are no lines', () => {
    const trial = trialBalance([
      totals('USD', 'DISBURSEMENTS_PAYABLE', 0n, 700n),
      totals('CNY', 'INTEREST_INCOME', 0n, 157n),
      totals('USD', 'LOANS_AWAITING_DISBURSEMENT', 700n, 0n),
      totals('CNY', 'INTEREST_RECEIVABLE', 157n, 0n),
    ]);
    expect(trial.balanced).toBe(true);
    expect(trial.currencies.map((currency) => currency.currency)).toEqual(['CNY', 'USD']);
    const [cny, usd] = trial.currencies;
    expect(cny!.accounts.map((account) => account.account)).toEqual(ACCOUNT_CODES);
    expect(cny!.accounts.find((account) => account.account === 'INTEREST_INCOME')).toEqual({
      currency: 'CNY',
      account: 'INTEREST_INCOME',
      debitMinor: 0n,
      creditMinor: 157n,
      balanceMinor: 157n,
    });
    expect(cny!.accounts.find((account) => account.account === 'WRITE_OFF_EXPENSE')).toMatchObject({
      debitMinor: 0n,
      creditMinor: 0n,
      balanceMinor: 0n,
    });
    expect(cny).toMatchObject({ debitMinor: 157n, creditMinor: 157n, balanced: true });
    expect(usd).toMatchObject({ debitMinor: 700n, creditMinor: 700n, balanced: true });
  });

  it('says which currency is out of balance, and that the whole is', () => {
    const trial = trialBalance([
      totals('CNY', 'INTEREST_RECEIVABLE', 50n, 0n),
      totals('CNY', 'INTEREST_INCOME', 0n, 40n),
      totals('USD', 'INTEREST_RECEIVABLE', 5n, 0n),
      totals('USD', 'INTEREST_INCOME', 0n, 5n),
    ]);
    expect(trial.balanced).toBe(false);
    expect(
      trial.currencies.map(({ currency, debitMinor, creditMinor, balanced }) => [
        currency,
        debitMinor,
        creditMinor,
        balanced,
      ]),
    ).toEqual([
      ['CNY', 50n, 40n, false],
      ['USD', 5n, 5n, true],
    ]);
  });

  it.each<[string, AccountTotals[], RegExp]>([
    [
      'an unknown account',
      [totals('CNY', 'SUSPENSE' as AccountCode, 1n, 0n)],
      /CNY SUSPENSE: unknown account/,
    ],
    [
      'a currency that is not ISO 4217',
      [totals('cny', 'INTEREST_INCOME', 1n, 0n)],
      /currency is not ISO 4217/,
    ],
    [
      'a negative total',
      [totals('CNY', 'INTEREST_INCOME', -1n, 0n)],
      /debitMinor -1 is not a non-negative bigint/,
    ],
    [
      'a total that is a number',
      [{ ...totals('CNY', 'INTEREST_INCOME', 0n, 0n), creditMinor: 5 as unknown as bigint }],
      /creditMinor 5/,
    ],
    [
      'the same account twice',
      [totals('CNY', 'INTEREST_INCOME', 0n, 1n), totals('CNY', 'INTEREST_INCOME', 0n, 2n)],
      /CNY INTEREST_INCOME appears twice/,
    ],
  ])('refuses %s', (_label, rows, message) => {
    expect(() => trialBalance(rows)).toThrow(message);
  });

  const balancedEntry = fc
    .tuple(
      fc.array(
        fc.record({
          account: fc.constantFrom(...ACCOUNT_CODES),
          amountMinor: fc.bigInt({ min: 1n, max: 10n ** 12n }),
        }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      fc.constantFrom(...ACCOUNT_CODES),
      fc.constantFrom('CNY', 'USD'),
    )
    .map(([debits, creditAccount, currency]) => {
      const total = debits.reduce((sum, line) => sum + line.amountMinor, 0n);
      const lines: JournalLine[] = [
        ...debits.map((line) => ({ ...line, side: 'DEBIT' as const })),
        { account: creditAccount, side: 'CREDIT', amountMinor: total },
      ];
      return { currency, lines };
    });

  /** What accountBalances would read: the entries' lines summed per (currency, account). */
  const sumLines = (entries: Array<{ currency: string; lines: JournalLine[] }>): AccountTotals[] => {
    const sums = new Map<string, AccountTotals>();
    for (const { currency, lines } of entries)
      for (const line of lines) {
        const key = `${currency} ${line.account}`;
        const previous = sums.get(key) ?? totals(currency, line.account, 0n, 0n);
        const { debitMinor, creditMinor } = totalsOf([line]);
        sums.set(key, {
          ...previous,
          debitMinor: previous.debitMinor + debitMinor,
          creditMinor: previous.creditMinor + creditMinor,
        });
      }
    return [...sums.values()];
  };

  it('balances for any book of balanced entries, and its natural balances net to zero per currency', () => {
    fc.assert(
      fc.property(fc.array(balancedEntry, { maxLength: 20 }), (entries) => {
        const trial = trialBalance(sumLines(entries));
        expect(trial.balanced).toBe(true);
        for (const currency of trial.currencies) {
          // Debit-normal balances minus credit-normal balances: the accounting equation.
          const net = currency.accounts.reduce(
            (sum, account) =>
              sum + account.balanceMinor * (naturalBalance(account.account, 1n, 0n) === 1n ? 1n : -1n),
            0n,
          );
          expect(net).toBe(0n);
        }
      }),
    );
  });

  it('does not balance once any one line of a balanced book is dropped', () => {
    fc.assert(
      fc.property(fc.array(balancedEntry, { minLength: 1, maxLength: 10 }), fc.nat(), (entries, which) => {
        const victim = entries[which % entries.length]!;
        const damaged = [
          ...entries.filter((entry) => entry !== victim),
          { ...victim, lines: victim.lines.slice(1) },
        ];
        expect(trialBalance(sumLines(damaged)).balanced).toBe(false);
      }),
    );
  });
});

describe('loanBalancesFrom', () => {
  const row = (
    loanId: string,
    account: AccountCode,
    debitMinor: bigint,
    creditMinor: bigint,
    currency = 'CNY',
  ): LoanAccountTotals => ({
    loanId,
    currency,
    account,
    debitMinor,
    creditMinor,
  });

  it("adds a loan's receivable and awaiting-disbursement principal, and takes its interest receivable", () => {
    expect(
      loanBalancesFrom([
        row('loan-b', 'LOANS_AWAITING_DISBURSEMENT', 700n, 0n, 'USD'),
        row('loan-a', 'LOANS_RECEIVABLE', 10_000n, 5_000n),
        row('loan-a', 'LOANS_AWAITING_DISBURSEMENT', 10_000n, 10_000n),
        row('loan-a', 'INTEREST_RECEIVABLE', 150n, 120n),
        row('loan-a', 'INTEREST_INCOME', 0n, 150n),
        row('loan-a', 'TREASURY_CLEARING', 0n, 10_000n),
      ]),
    ).toEqual([
      {
        loanId: 'loan-a',
        currency: 'CNY',
        receivableMinor: 5_000n,
        awaitingDisbursementMinor: 0n,
        principalMinor: 5_000n,
        interestReceivableMinor: 30n,
      },
      {
        loanId: 'loan-b',
        currency: 'USD',
        receivableMinor: 0n,
        awaitingDisbursementMinor: 700n,
        principalMinor: 700n,
        interestReceivableMinor: 0n,
      },
    ]);
  });

  it('gives a loan with lines in two currencies two rows, and a loan with only other accounts none', () => {
    const balances = loanBalancesFrom([
      row('loan-a', 'LOANS_RECEIVABLE', 5n, 0n, 'CNY'),
      row('loan-a', 'LOANS_RECEIVABLE', 7n, 0n, 'USD'),
      row('loan-c', 'WRITE_OFF_EXPENSE', 9n, 0n),
    ]);
    expect(
      balances.map(({ loanId, currency, principalMinor }) => [loanId, currency, principalMinor]),
    ).toEqual([
      ['loan-a', 'CNY', 5n],
      ['loan-a', 'USD', 7n],
    ]);
  });

  it('keeps a negative balance negative, for the checks to see', () => {
    expect(loanBalancesFrom([row('loan-a', 'INTEREST_RECEIVABLE', 0n, 3n)])[0]).toMatchObject({
      interestReceivableMinor: -3n,
    });
  });
});
