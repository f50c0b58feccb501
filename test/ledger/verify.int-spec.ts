/**
 * `npm run ledger -- verify` and `trial-balance`, on real Postgres: a good book passes every
 * check and the CLI exits 0; then the book is corrupted the way a bad migration or a manual
 * fix would (`session_replication_role = replica` silences triggers and foreign keys), once
 * per invariant, and each check reports exactly its breach, and the CLI exits 1.
 */
import {
  Breach,
  LedgerCheck,
  ledgerIntegrityChecks,
  loanBalances,
  MAX_BREACHES_PER_CHECK,
  postJournalEntries,
  verifyLedgerInSnapshot,
} from '@lendstream/ledger';
import type { DataSource } from 'typeorm';
import { ledgerChecks } from '../../scripts/ledger/checks';
import { runLedgerCli } from './support/ledger-cli';
import { sampleBook, TestLoan } from './support/loan-entries';
import { LedgerTestDatabase } from './support/ledger-test-database';

jest.setTimeout(120_000);

const CHECK_NAMES = [
  'chart-matches-code',
  'entries-have-two-lines',
  'entries-balance',
  'lines-match-their-entry',
  'lines-reference-entries-and-accounts',
  'debits-equal-credits',
  'no-negative-balances',
  'no-negative-loan-balances',
];

const ORPHAN_ENTRY = '00000000-0000-4000-8000-0000000000ff';

describe('ledger verify (real Postgres)', () => {
  let database: LedgerTestDatabase;
  let dataSource: DataSource;
  let loans: Record<'repaid' | 'failed' | 'writtenOff' | 'usd', TestLoan>;

  beforeAll(async () => {
    database = await LedgerTestDatabase.create('verify');
    dataSource = await database.connect('ledger-verify', 2);
    const book = sampleBook();
    loans = book.loans;
    await dataSource.transaction((manager) => postJournalEntries(manager, book.drafts));
  });

  afterAll(() => database.cleanup());

  const entryIdOf = async (key: string): Promise<string> => {
    const [row]: Array<{ entry_id: string }> = await dataSource.query(
      `SELECT entry_id FROM journal_entries WHERE idempotency_key = $1`,
      [key],
    );
    return row!.entry_id;
  };

  describe('a good book', () => {
    it('passes every check', async () => {
      const verification = await verifyLedgerInSnapshot(dataSource, ledgerChecks('ledger'));
      expect(verification.outcomes.map((outcome) => outcome.name)).toEqual(CHECK_NAMES);
      expect(verification.outcomes.filter((outcome) => outcome.breaches.length > 0 || outcome.error)).toEqual(
        [],
      );
      expect(verification).toMatchObject({ ok: true, breachCount: 0, errorCount: 0 });
    });

    it('`ledger verify` prints one ok line per check and exits 0', async () => {
      const run = await runLedgerCli(database.url, ['verify', '--only', 'ledger']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      for (const name of CHECK_NAMES) expect(run.stdout).toMatch(new RegExp(`^✓ ${name} +ok: `, 'm'));
      expect(run.stdout).toMatch(/ledger verify: ok, 8 checks passed/);
    });

    it('`ledger trial-balance` prints each currency balanced and exits 0; --currency picks one', async () => {
      const all = await runLedgerCli(database.url, ['trial-balance']);
      expect(all.code).toBe(0);
      expect(all.stdout).toMatch(/trial balance CNY: debits = credits/);
      expect(all.stdout).toMatch(/^total +¥472\.84 +¥472\.84$/m);
      expect(all.stdout).toMatch(/^TREASURY_CLEARING +DR +¥20\.20 +¥110\.00 +-¥89\.80$/m);
      expect(all.stdout).toMatch(/trial balance USD: debits = credits/);
      const usd = await runLedgerCli(database.url, ['trial-balance', '--currency', 'USD']);
      expect(usd.code).toBe(0);
      expect(usd.stdout).not.toMatch(/CNY/);
      expect(usd.stdout).toMatch(/^total +\$7\.00 +\$7\.00$/m);
    });

    it.each([
      [['bogus']],
      [['verify', '--currency', 'CNY']],
      [['trial-balance', '--currency', 'cny']],
      [['trial-balance', '--no-such-option']],
    ])('`ledger %j` is a usage error: exit 2 with the usage', async (args) => {
      const run = await runLedgerCli(database.url, args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/usage:\n {2}npm run ledger -- verify/);
    });

    it('takes more checks (as lending adds its own), reports a check that cannot run, and bounds breaches', async () => {
      const expectedPrincipal = new Map([[loans.repaid.loanId, 5_000n]]);
      const loanMatchesLending: LedgerCheck = {
        name: 'loan-principal-matches-lending',
        description: "each loan's principal equals its ledger balance",
        async run(manager) {
          const balances = await loanBalances(manager, [...expectedPrincipal.keys()]);
          return balances.flatMap((balance): Breach[] =>
            balance.principalMinor === expectedPrincipal.get(balance.loanId)
              ? []
              : [{ subject: `loan ${balance.loanId}`, detail: `ledger ${balance.principalMinor}` }],
          );
        },
      };
      const broken: LedgerCheck = {
        name: 'broken',
        description: 'a check whose query fails',
        run: (manager) => manager.query('SELECT * FROM no_such_table'),
      };
      const noisy: LedgerCheck = {
        name: 'noisy',
        description: 'a check that finds more than it may keep',
        run: async () =>
          Array.from({ length: MAX_BREACHES_PER_CHECK + 1 }, (_, index) => ({
            subject: `s${index}`,
            detail: 'd',
          })),
      };
      const verification = await verifyLedgerInSnapshot(dataSource, [
        ...ledgerIntegrityChecks(),
        broken, // fails its query; the checks after it still run in the same snapshot
        loanMatchesLending,
        noisy,
      ]);
      const byName = new Map(verification.outcomes.map((outcome) => [outcome.name, outcome]));
      expect(byName.get('broken')).toMatchObject({
        breaches: [],
        error: expect.stringMatching(/no_such_table/),
      });
      expect(byName.get('loan-principal-matches-lending')).toMatchObject({ breaches: [], error: null });
      expect(byName.get('noisy')).toMatchObject({ truncated: true, error: null });
      expect(byName.get('noisy')!.breaches).toHaveLength(MAX_BREACHES_PER_CHECK);
      expect(verification).toMatchObject({ ok: false, errorCount: 1, breachCount: MAX_BREACHES_PER_CHECK });
    });
  });

  describe('a corrupted book', () => {
    const keys = {
      accrual: () => `accrual-day-1:${loans.repaid.loanId}`,
      manual: () => `manual-day-4:${loans.repaid.loanId}`,
      usdDrawdown: () => `drawdown:${loans.usd.loanId}`,
    };

    beforeAll(async () => {
      // A balanced entry the database accepts, whose effect the chart forbids: income debited.
      await dataSource.transaction((manager) =>
        postJournalEntries(manager, [
          {
            idempotencyKey: 'negative-income',
            code: 'INTEREST_ACCRUED',
            currency: 'GBP',
            effectiveAt: '2026-06-01T00:00:00Z',
            merchantId: 'm-negative',
            loanId: 'loan-negative',
            lines: [
              { account: 'INTEREST_INCOME', side: 'DEBIT', amountMinor: 1_000n },
              { account: 'TREASURY_CLEARING', side: 'CREDIT', amountMinor: 1_000n },
            ],
          },
        ]),
      );
      const accrual = await entryIdOf(keys.accrual());
      const manual = await entryIdOf(keys.manual());
      const usdDrawdown = await entryIdOf(keys.usdDrawdown());
      await dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        // One line of an accrual deleted: one line left, unbalanced, and CNY out of balance.
        await manager.query(`DELETE FROM journal_lines WHERE entry_id = $1 AND line_no = 1`, [accrual]);
        // A repayment's principal line edited: unbalanced.
        await manager.query(
          `UPDATE journal_lines SET amount_minor = 2500 WHERE entry_id = $1 AND account_code = 'LOANS_RECEIVABLE'`,
          [manual],
        );
        // Both lines of a USD entry moved to EUR: EUR still balances, but the lines are not their entry's.
        await manager.query(`UPDATE journal_lines SET currency = 'EUR' WHERE entry_id = $1`, [usdDrawdown]);
        // Two lines of no entry, one on an account the chart does not have.
        await manager.query(
          `INSERT INTO journal_lines (entry_id, line_no, account_code, side, amount_minor, currency) VALUES
             ($1, 0, 'SUSPENSE', 'DEBIT', 5, 'JPY'), ($1, 1, 'INTEREST_INCOME', 'CREDIT', 5, 'JPY')`,
          [ORPHAN_ENTRY],
        );
        // An account's side flipped in the database's chart.
        await manager.query(
          `UPDATE ledger_accounts SET normal_side = 'CREDIT' WHERE code = 'WRITE_OFF_EXPENSE'`,
        );
      });
    });

    it('reports each breach under the check it breaks, and nothing else', async () => {
      const verification = await verifyLedgerInSnapshot(dataSource, ledgerChecks('ledger'));
      const accrual = `entry ${keys.accrual()} (${await entryIdOf(keys.accrual())})`;
      const manual = `entry ${keys.manual()} (${await entryIdOf(keys.manual())})`;
      const usdDrawdown = `entry ${keys.usdDrawdown()} (${await entryIdOf(keys.usdDrawdown())})`;
      const reported = Object.fromEntries(
        verification.outcomes.map((outcome) => [
          outcome.name,
          [...outcome.breaches].sort((a, b) => a.subject.localeCompare(b.subject)),
        ]),
      );
      expect(reported).toEqual({
        'chart-matches-code': [
          { subject: 'account WRITE_OFF_EXPENSE', detail: 'normal side: database CREDIT, code DEBIT' },
        ],
        'entries-have-two-lines': [{ subject: accrual, detail: '1 line(s); an entry needs at least two' }],
        'entries-balance': [
          { subject: accrual, detail: 'debits 50 ≠ credits 0' },
          { subject: manual, detail: 'debits 2020 ≠ credits 2520' },
        ],
        'lines-match-their-entry': [
          { subject: `line 0 of ${usdDrawdown}`, detail: "currency EUR, its entry's USD" },
          { subject: `line 1 of ${usdDrawdown}`, detail: "currency EUR, its entry's USD" },
        ],
        'lines-reference-entries-and-accounts': [
          {
            subject: `line 0 of entry ${ORPHAN_ENTRY}`,
            detail: 'its entry does not exist; account SUSPENSE is not in ledger_accounts',
          },
          { subject: `line 1 of entry ${ORPHAN_ENTRY}`, detail: 'its entry does not exist' },
        ],
        'debits-equal-credits': [{ subject: 'CNY', detail: 'debits 47284 ≠ credits 47734 over all lines' }],
        'no-negative-balances': [
          {
            subject: 'GBP INTEREST_INCOME',
            detail:
              'natural balance -1000 (debits 1000, credits 0); a credit-normal account that may not go negative',
          },
        ],
        'no-negative-loan-balances': [
          {
            subject: 'loan loan-negative GBP INTEREST_INCOME',
            detail:
              'natural balance -1000 (debits 1000, credits 0); a credit-normal account that may not go negative',
          },
        ],
      });
      expect(verification).toMatchObject({ ok: false, breachCount: 11, errorCount: 0 });
    });

    it('`ledger verify` names every failed check with its first breaches and exits 1', async () => {
      const run = await runLedgerCli(database.url, ['verify', '--only', 'ledger']);
      expect(run.code).toBe(1);
      for (const name of CHECK_NAMES) expect(run.stdout).toMatch(new RegExp(`^✗ ${name} +\\d+ breach`, 'm'));
      expect(run.stdout).toMatch(/^ {4}CNY: debits 47284 ≠ credits 47734 over all lines$/m);
      expect(run.stdout).toMatch(
        /ledger verify: FAILED, 11 breach\(es\), 0 check\(s\) could not run, of 8 checks/,
      );
    });

    it('`ledger trial-balance` shows a currency out of balance and exits 1; an account the code does not know fails it', async () => {
      const cny = await runLedgerCli(database.url, ['trial-balance', '--currency', 'CNY']);
      expect(cny.code).toBe(1);
      expect(cny.stdout).toMatch(/trial balance CNY: OUT OF BALANCE: debits − credits = -¥4\.50/);
      const all = await runLedgerCli(database.url, ['trial-balance']);
      expect(all.code).toBe(1);
      expect(all.stderr).toMatch(/account SUSPENSE, which this code's chart \(ACCOUNTS\) does not have/);
    });
  });
});
