/**
 * Balances derived from the stored lines: per (currency, account), the trial balance built from
 * them, and per loan. The book is small and worked out by hand (support/loan-entries.ts), so
 * every figure below is an independent expectation, not the code's own arithmetic.
 */
import {
  accountBalances,
  AccountCode,
  loanBalances,
  postJournalEntries,
  trialBalance,
} from '@lendstream/ledger';
import type { DataSource } from 'typeorm';
import { sampleBook, TestLoan } from './support/loan-entries';
import { LedgerTestDatabase } from './support/ledger-test-database';

jest.setTimeout(30_000);

/** [account, debits, credits, natural balance] of the sample book in CNY. */
const CNY_BOOK: Array<[AccountCode, bigint, bigint, bigint]> = [
  ['DISBURSEMENTS_PAYABLE', 15_000n, 15_000n, 0n],
  ['INTEREST_INCOME', 0n, 157n, 157n],
  ['INTEREST_RECEIVABLE', 157n, 127n, 30n],
  ['LOANS_AWAITING_DISBURSEMENT', 15_000n, 15_000n, 0n],
  ['LOANS_RECEIVABLE', 11_000n, 6_000n, 5_000n],
  ['SETTLEMENT_HOLDBACKS_RECEIVABLE', 3_100n, 0n, 3_100n],
  ['TREASURY_CLEARING', 2_020n, 11_000n, -8_980n],
  ['WRITE_OFF_EXPENSE', 1_007n, 0n, 1_007n],
];

describe('ledger balances (real Postgres)', () => {
  let database: LedgerTestDatabase;
  let dataSource: DataSource;
  let loans: Record<'repaid' | 'failed' | 'writtenOff' | 'usd', TestLoan>;

  beforeAll(async () => {
    database = await LedgerTestDatabase.create('balances');
    dataSource = await database.connect('ledger-balances', 2);
    const book = sampleBook();
    loans = book.loans;
    await dataSource.transaction((manager) => postJournalEntries(manager, book.drafts));
  });

  afterAll(() => database.cleanup());

  it('sums every (currency, account) from the lines, with its natural balance', async () => {
    const balances = await accountBalances(dataSource.manager);
    expect(balances).toEqual([
      ...CNY_BOOK.map(([account, debitMinor, creditMinor, balanceMinor]) => ({
        currency: 'CNY',
        account,
        debitMinor,
        creditMinor,
        balanceMinor,
      })),
      {
        currency: 'USD',
        account: 'DISBURSEMENTS_PAYABLE',
        debitMinor: 0n,
        creditMinor: 700n,
        balanceMinor: 700n,
      },
      {
        currency: 'USD',
        account: 'LOANS_AWAITING_DISBURSEMENT',
        debitMinor: 700n,
        creditMinor: 0n,
        balanceMinor: 700n,
      },
    ]);
  });

  it('builds a trial balance per currency in which debits equal credits', async () => {
    const trial = trialBalance(await accountBalances(dataSource.manager));
    expect(trial.balanced).toBe(true);
    expect(
      trial.currencies.map(({ currency, debitMinor, creditMinor, balanced }) => ({
        currency,
        debitMinor,
        creditMinor,
        balanced,
      })),
    ).toEqual([
      { currency: 'CNY', debitMinor: 47_284n, creditMinor: 47_284n, balanced: true },
      { currency: 'USD', debitMinor: 700n, creditMinor: 700n, balanced: true },
    ]);
  });

  it('reads one currency when asked, and refuses a currency that is not ISO 4217', async () => {
    const usd = await accountBalances(dataSource.manager, { currency: 'USD' });
    expect(usd.map((balance) => [balance.currency, balance.account])).toEqual([
      ['USD', 'DISBURSEMENTS_PAYABLE'],
      ['USD', 'LOANS_AWAITING_DISBURSEMENT'],
    ]);
    await expect(accountBalances(dataSource.manager, { currency: 'EUR' })).resolves.toEqual([]);
    await expect(accountBalances(dataSource.manager, { currency: 'usd' })).rejects.toThrow(RangeError);
  });

  it("gives each loan's principal (awaiting disbursement + receivable) and interest receivable", async () => {
    const balances = await loanBalances(dataSource.manager);
    const byLoan = new Map(balances.map((balance) => [balance.loanId, balance]));
    expect(balances).toHaveLength(4);
    expect(byLoan.get(loans.repaid.loanId)).toEqual({
      loanId: loans.repaid.loanId,
      currency: 'CNY',
      receivableMinor: 5_000n,
      awaitingDisbursementMinor: 0n,
      principalMinor: 5_000n,
      interestReceivableMinor: 30n,
    });
    expect(byLoan.get(loans.failed.loanId)).toMatchObject({
      principalMinor: 0n,
      interestReceivableMinor: 0n,
    });
    expect(byLoan.get(loans.writtenOff.loanId)).toMatchObject({
      principalMinor: 0n,
      interestReceivableMinor: 0n,
    });
    expect(byLoan.get(loans.usd.loanId)).toMatchObject({
      currency: 'USD',
      receivableMinor: 0n,
      awaitingDisbursementMinor: 700n,
      principalMinor: 700n,
    });
  });

  it('reads only the loans asked for; a loan with no lines has no row', async () => {
    const balances = await loanBalances(dataSource.manager, [loans.usd.loanId, 'no-such-loan']);
    expect(balances.map((balance) => balance.loanId)).toEqual([loans.usd.loanId]);
    await expect(loanBalances(dataSource.manager, [])).resolves.toEqual([]);
    await expect(loanBalances(dataSource.manager, [''])).rejects.toThrow(RangeError);
  });
});
