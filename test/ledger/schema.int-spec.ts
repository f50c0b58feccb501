/**
 * What the database itself holds, whoever writes to it: the journal is append-only, an entry
 * that does not balance (or has fewer than two lines) cannot commit, a line cannot disagree
 * with its entry, the chart cannot be changed under the lines; and the migration's copies of
 * the chart and the entry codes are the code's (this file fails when they drift apart).
 */
import {
  ACCOUNT_CODES,
  accountDefinition,
  ENTRY_CODES,
  ledgerIntegrityChecks,
  postJournalEntries,
  verifyLedger,
} from '@lendstream/ledger';
import type { DataSource, EntityManager } from 'typeorm';
import { postgresErrorCode } from '../../libs/platform/src/database/adapters/connection';
import { loanEntries, newTestLoan } from './support/loan-entries';
import { LedgerTestDatabase } from './support/ledger-test-database';

jest.setTimeout(30_000);

/** The error a statement or a transaction failed with, with its SQLSTATE and constraint. */
async function failureOf(
  work: Promise<unknown>,
): Promise<{ code?: string; constraint?: string; message: string }> {
  const error = await work.then(
    () => {
      throw new Error('expected the database to refuse, and it accepted');
    },
    (failure: unknown) => failure,
  );
  const driverError = (error as { driverError?: { constraint?: string } }).driverError;
  return {
    code: postgresErrorCode(error),
    constraint: driverError?.constraint,
    message: (error as Error).message,
  };
}

describe('ledger schema (real Postgres)', () => {
  let database: LedgerTestDatabase;
  let dataSource: DataSource;
  let entryId: string;

  beforeAll(async () => {
    database = await LedgerTestDatabase.create('schema');
    dataSource = await database.connect('ledger-schema', 3);
    const loan = newTestLoan();
    const [outcome] = await dataSource.transaction((manager) =>
      postJournalEntries(manager, [loanEntries.settled(loan, 500n)]),
    );
    entryId = outcome!.entryId;
  });

  afterAll(() => database.cleanup());

  /** Inserts an entry row by hand (no adapter) and returns its id, inside `manager`'s transaction. */
  const insertEntry = async (manager: EntityManager, key: string, currency = 'CNY'): Promise<string> => {
    const [row]: Array<{ entry_id: string }> = await manager.query(
      `INSERT INTO journal_entries (idempotency_key, code, currency, effective_at)
       VALUES ($1, 'INTEREST_ACCRUED', $2, now()) RETURNING entry_id`,
      [key, currency],
    );
    return row!.entry_id;
  };
  const insertLine = (
    manager: EntityManager,
    id: string,
    lineNo: number,
    account: string,
    side: 'DEBIT' | 'CREDIT',
    amount: number,
    currency = 'CNY',
  ) =>
    manager.query(
      `INSERT INTO journal_lines (entry_id, line_no, account_code, side, amount_minor, currency)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, lineNo, account, side, amount, currency],
    );

  describe('append-only journal', () => {
    it.each([
      ['UPDATE journal_entries', `UPDATE journal_entries SET code = 'LOAN_WRITTEN_OFF' WHERE entry_id = $1`],
      ['DELETE FROM journal_entries', `DELETE FROM journal_entries WHERE entry_id = $1`],
      [
        'UPDATE journal_lines',
        `UPDATE journal_lines SET amount_minor = amount_minor + 1 WHERE entry_id = $1`,
      ],
      ['DELETE FROM journal_lines', `DELETE FROM journal_lines WHERE entry_id = $1`],
    ])('rejects %s', async (_label, sql) => {
      const failure = await failureOf(dataSource.query(sql, [entryId]));
      expect(failure.code).toBe('23001');
      expect(failure.message).toMatch(/append-only/);
    });

    it.each(['journal_entries', 'journal_lines'])(
      'rejects TRUNCATE %s (and a cascade to it)',
      async (table) => {
        expect((await failureOf(dataSource.query(`TRUNCATE ${table} CASCADE`))).code).toBe('23001');
      },
    );

    it('still holds the entry it refused to change', async () => {
      const [row]: Array<{ lines: number; total: string }> = await dataSource.query(
        `SELECT count(*)::int AS lines, sum(amount_minor)::text AS total FROM journal_lines WHERE entry_id = $1`,
        [entryId],
      );
      expect(row).toEqual({ lines: 4, total: '2000' });
    });
  });

  describe('balanced entries, checked at commit', () => {
    it('rejects an entry whose lines do not balance, naming it', async () => {
      const failure = await failureOf(
        dataSource.transaction(async (manager) => {
          const id = await insertEntry(manager, 'raw-unbalanced');
          await insertLine(manager, id, 0, 'INTEREST_RECEIVABLE', 'DEBIT', 10);
          await insertLine(manager, id, 1, 'INTEREST_INCOME', 'CREDIT', 9);
        }),
      );
      expect(failure).toMatchObject({ code: '23514', constraint: 'journal_entry_balanced' });
      expect(failure.message).toMatch(
        /raw-unbalanced .* does not balance: 2 line\(s\), debits 10, credits 9/,
      );
    });

    it('rejects an entry with one line, and one with none', async () => {
      const oneLine = await failureOf(
        dataSource.transaction(async (manager) => {
          const id = await insertEntry(manager, 'raw-one-line');
          await insertLine(manager, id, 0, 'INTEREST_RECEIVABLE', 'DEBIT', 10);
        }),
      );
      expect(oneLine.message).toMatch(/raw-one-line .* 1 line\(s\)/);
      const noLines = await failureOf(
        dataSource.transaction((manager) => insertEntry(manager, 'raw-no-lines')),
      );
      expect(noLines).toMatchObject({ code: '23514', constraint: 'journal_entry_balanced' });
      expect(noLines.message).toMatch(/raw-no-lines .* 0 line\(s\)/);
    });

    it('rejects a line added later to an entry that balanced', async () => {
      const failure = await failureOf(
        dataSource.transaction((manager) =>
          manager.query(
            `INSERT INTO journal_lines (entry_id, line_no, account_code, side, amount_minor, currency, merchant_id, loan_id)
             SELECT entry_id, 9, 'INTEREST_INCOME', 'CREDIT', 1, currency, merchant_id, loan_id
               FROM journal_entries WHERE entry_id = $1`,
            [entryId],
          ),
        ),
      );
      expect(failure).toMatchObject({ code: '23514', constraint: 'journal_entry_balanced' });
    });

    it('accepts a balanced entry written by hand, lines in any order of statements', async () => {
      await dataSource.transaction(async (manager) => {
        const id = await insertEntry(manager, 'raw-balanced');
        await insertLine(manager, id, 0, 'INTEREST_RECEIVABLE', 'DEBIT', 10);
        await insertLine(manager, id, 1, 'INTEREST_INCOME', 'CREDIT', 4);
        await insertLine(manager, id, 2, 'INTEREST_INCOME', 'CREDIT', 6);
      });
      const rows: unknown[] = await dataSource.query(
        `SELECT 1 FROM journal_entries WHERE idempotency_key = 'raw-balanced'`,
      );
      expect(rows).toHaveLength(1);
    });
  });

  it("rejects a line whose currency, merchant or loan is not its entry's", async () => {
    const failure = await failureOf(
      dataSource.transaction(async (manager) => {
        const id = await insertEntry(manager, 'raw-currency-mismatch', 'CNY');
        await insertLine(manager, id, 0, 'INTEREST_RECEIVABLE', 'DEBIT', 10, 'USD');
      }),
    );
    expect(failure).toMatchObject({ code: '23514', constraint: 'journal_line_matches_entry' });
  });

  it.each([
    ['a non-positive amount', `amount_minor`, '0'],
    ['an unknown account', `account_code`, `'SUSPENSE'`],
    ['an unknown side', `side`, `'LEFT'`],
  ])('rejects a line with %s', async (_label, column, value) => {
    const failure = await failureOf(
      dataSource.transaction(async (manager) => {
        const id = await insertEntry(manager, `raw-bad-${column}`);
        const values: Record<string, string> = {
          amount_minor: '10',
          account_code: `'INTEREST_RECEIVABLE'`,
          side: `'DEBIT'`,
          [column]: value,
        };
        await manager.query(
          `INSERT INTO journal_lines (entry_id, line_no, account_code, side, amount_minor, currency)
           VALUES ($1, 0, ${values.account_code}, ${values.side}, ${values.amount_minor}, 'CNY')`,
          [id],
        );
      }),
    );
    expect(['23514', '23503']).toContain(failure.code);
  });

  it('rejects an unknown entry code and a taken idempotency key', async () => {
    const unknownCode = await failureOf(
      dataSource.query(
        `INSERT INTO journal_entries (idempotency_key, code, currency, effective_at) VALUES ('x', 'GIFT', 'CNY', now())`,
      ),
    );
    expect(unknownCode).toMatchObject({ code: '23514', constraint: 'journal_entries_code_known' });
    const [{ idempotency_key: takenKey }]: Array<{ idempotency_key: string }> = await dataSource.query(
      `SELECT idempotency_key FROM journal_entries WHERE entry_id = $1`,
      [entryId],
    );
    const taken = await failureOf(dataSource.transaction((manager) => insertEntry(manager, takenKey)));
    expect(taken).toMatchObject({ code: '23505', constraint: 'journal_entries_idempotency_key_unique' });
  });

  describe('the chart of accounts', () => {
    it('rejects removing an account or changing its side or type; a new name is fine', async () => {
      for (const sql of [
        `DELETE FROM ledger_accounts WHERE code = 'INTEREST_INCOME'`,
        `UPDATE ledger_accounts SET normal_side = 'DEBIT' WHERE code = 'INTEREST_INCOME'`,
        `UPDATE ledger_accounts SET type = 'EQUITY' WHERE code = 'INTEREST_INCOME'`,
        `TRUNCATE ledger_accounts CASCADE`,
      ])
        expect((await failureOf(dataSource.query(sql))).code).toBe('23001');
      await dataSource.transaction(async (manager) => {
        await manager.query(
          `UPDATE ledger_accounts SET name = 'Interest earned' WHERE code = 'INTEREST_INCOME'`,
        );
        await manager.query(
          `UPDATE ledger_accounts SET name = 'Interest income' WHERE code = 'INTEREST_INCOME'`,
        );
      });
    });

    it("is the code's chart (ACCOUNTS), row for row", async () => {
      const rows: Array<{
        code: string;
        type: string;
        normal_side: string;
        name: string;
        may_go_negative: boolean;
      }> = await dataSource.query(
        `SELECT code, type, normal_side, name, may_go_negative FROM ledger_accounts`,
      );
      const fromCode = ACCOUNT_CODES.map((code) => {
        const definition = accountDefinition(code);
        return {
          code,
          type: definition.type,
          normal_side: definition.normal,
          name: definition.name,
          may_go_negative: definition.mayGoNegative === true,
        };
      });
      const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
      expect([...rows].sort(byCode)).toEqual([...fromCode].sort(byCode));
      // The same comparison as `npm run ledger -- verify` makes it.
      const verification = await verifyLedger(
        dataSource.manager,
        ledgerIntegrityChecks().filter((check) => check.name === 'chart-matches-code'),
      );
      expect(verification.outcomes[0]).toMatchObject({
        name: 'chart-matches-code',
        breaches: [],
        error: null,
      });
    });
  });

  it("allows exactly the code's entry codes (ENTRY_CODES)", async () => {
    const [{ definition }]: Array<{ definition: string }> = await dataSource.query(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'journal_entries_code_known'`,
    );
    const allowed = [...definition.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]);
    expect([...allowed].sort()).toEqual([...ENTRY_CODES].sort());
  });
});
