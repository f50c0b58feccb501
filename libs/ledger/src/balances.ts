/**
 * Balances derived from journal lines, never stored: an account's balance is the sum of its
 * lines, so it cannot disagree with the journal. The adapters sum debits and credits in SQL;
 * everything that gives those sums a meaning (normal sides, the trial balance, a loan's
 * principal and interest) is here.
 */
import { ACCOUNT_CODES, AccountCode, isAccountCode, naturalBalance } from './accounts';

/** The debits and credits of one account in one currency (over the whole book, or one loan's lines). */
export interface AccountTotals {
  readonly currency: string;
  readonly account: AccountCode;
  readonly debitMinor: bigint;
  readonly creditMinor: bigint;
}

export interface AccountBalance extends AccountTotals {
  /** On the account's normal side: debits − credits for assets and expenses, credits − debits otherwise. */
  readonly balanceMinor: bigint;
}

export const accountBalanceOf = (totals: AccountTotals): AccountBalance => ({
  ...totals,
  balanceMinor: naturalBalance(totals.account, totals.debitMinor, totals.creditMinor),
});

/** One currency's trial balance: every account of the chart, in chart order, with its totals. */
export interface CurrencyTrialBalance {
  readonly currency: string;
  readonly accounts: readonly AccountBalance[];
  /** Σ debits and Σ credits of every line in this currency: equal in a balanced book. */
  readonly debitMinor: bigint;
  readonly creditMinor: bigint;
  readonly balanced: boolean;
}

export interface TrialBalance {
  /** Per currency, in currency order; amounts of different currencies are never added. */
  readonly currencies: readonly CurrencyTrialBalance[];
  /** True when every currency balances (also for an empty book). */
  readonly balanced: boolean;
}

/**
 * Adds account totals into a trial balance per currency. Every account of the chart is listed
 * (zero when it has no lines), so two trial balances line up row for row. Throws on a row
 * that cannot come from the journal: an unknown account, a negative total, the same
 * (currency, account) twice.
 */
export function trialBalance(rows: readonly AccountTotals[]): TrialBalance {
  const byCurrency = new Map<string, Map<AccountCode, AccountTotals>>();
  for (const row of rows) {
    assertAccountTotals(row);
    const accounts = byCurrency.get(row.currency) ?? new Map<AccountCode, AccountTotals>();
    if (accounts.has(row.account))
      throw new RangeError(
        `trial balance: ${row.currency} ${row.account} appears twice; expected one row each`,
      );
    accounts.set(row.account, row);
    byCurrency.set(row.currency, accounts);
  }
  const currencies = [...byCurrency.keys()].sort().map((currency): CurrencyTrialBalance => {
    const totals = byCurrency.get(currency) ?? new Map<AccountCode, AccountTotals>();
    const accounts = ACCOUNT_CODES.map((account) =>
      accountBalanceOf(totals.get(account) ?? { currency, account, debitMinor: 0n, creditMinor: 0n }),
    );
    const debitMinor = accounts.reduce((sum, account) => sum + account.debitMinor, 0n);
    const creditMinor = accounts.reduce((sum, account) => sum + account.creditMinor, 0n);
    return { currency, accounts, debitMinor, creditMinor, balanced: debitMinor === creditMinor };
  });
  return { currencies, balanced: currencies.every((currency) => currency.balanced) };
}

function assertAccountTotals(row: AccountTotals): void {
  const where = `trial balance row ${row.currency} ${String(row.account)}`;
  if (!/^[A-Z]{3}$/.test(row.currency)) throw new RangeError(`${where}: currency is not ISO 4217`);
  if (!isAccountCode(row.account)) throw new RangeError(`${where}: unknown account`);
  for (const [field, value] of [
    ['debitMinor', row.debitMinor],
    ['creditMinor', row.creditMinor],
  ] as const) {
    if (typeof value !== 'bigint' || value < 0n)
      throw new RangeError(`${where}: ${field} ${String(value)} is not a non-negative bigint`);
  }
}

/** The accounts that hold what a merchant owes on a loan. */
export const LOAN_BALANCE_ACCOUNTS = [
  'LOANS_RECEIVABLE',
  'LOANS_AWAITING_DISBURSEMENT',
  'INTEREST_RECEIVABLE',
] as const satisfies readonly AccountCode[];

/** A loan's totals on one account: the lines that carry its loan id. */
export interface LoanAccountTotals extends AccountTotals {
  readonly loanId: string;
}

/** What the ledger says one loan owes, in the loan's currency. */
export interface LoanBalance {
  readonly loanId: string;
  readonly currency: string;
  /** LOANS_RECEIVABLE: disbursed principal not yet repaid or written off. */
  readonly receivableMinor: bigint;
  /** LOANS_AWAITING_DISBURSEMENT: principal committed, treasury has not confirmed the payout. */
  readonly awaitingDisbursementMinor: bigint;
  /** receivable + awaiting disbursement: the loan's principal as lending keeps it. */
  readonly principalMinor: bigint;
  /** INTEREST_RECEIVABLE: interest accrued and not yet collected or written off. */
  readonly interestReceivableMinor: bigint;
}

/**
 * Per (loan, currency), in (loanId, currency) order. Rows of accounts other than the loan
 * balance accounts are ignored. A loan with no lines has no balance row: its balances are 0.
 * A loan with lines in two currencies gets two rows (a breach the caller can see).
 */
export function loanBalancesFrom(rows: readonly LoanAccountTotals[]): LoanBalance[] {
  const balances = new Map<
    string,
    { loanId: string; currency: string; byAccount: Map<AccountCode, bigint> }
  >();
  for (const row of rows) {
    if (!(LOAN_BALANCE_ACCOUNTS as readonly string[]).includes(row.account)) continue;
    const key = JSON.stringify([row.loanId, row.currency]);
    const balance = balances.get(key) ?? { loanId: row.loanId, currency: row.currency, byAccount: new Map() };
    const previous = balance.byAccount.get(row.account) ?? 0n;
    balance.byAccount.set(
      row.account,
      previous + naturalBalance(row.account, row.debitMinor, row.creditMinor),
    );
    balances.set(key, balance);
  }
  return [...balances.values()]
    .sort((a, b) => compareText(a.loanId, b.loanId) || compareText(a.currency, b.currency))
    .map(({ loanId, currency, byAccount }) => {
      const receivableMinor = byAccount.get('LOANS_RECEIVABLE') ?? 0n;
      const awaitingDisbursementMinor = byAccount.get('LOANS_AWAITING_DISBURSEMENT') ?? 0n;
      return {
        loanId,
        currency,
        receivableMinor,
        awaitingDisbursementMinor,
        principalMinor: receivableMinor + awaitingDisbursementMinor,
        interestReceivableMinor: byAccount.get('INTEREST_RECEIVABLE') ?? 0n,
      };
    });
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
