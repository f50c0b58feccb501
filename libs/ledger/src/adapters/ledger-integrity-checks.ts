import {
  ACCOUNT_CODES,
  accountDefinition,
  AccountCode,
  ACCOUNTS,
  isAccountCode,
  naturalBalance,
} from '../accounts';
import { Breach, MAX_BREACHES_PER_CHECK } from '../verification';
import { LedgerCheck } from './verify-ledger';

/**
 * The ledger's own invariants, re-checked over the stored rows. The database enforces most of
 * them on the way in (migration 1795890000000-Ledger); these catch whatever got past it: a
 * superuser's `session_replication_role = replica` (which silences triggers and foreign keys),
 * a restore of a partial dump, a bad migration, a trigger someone dropped.
 */
export function ledgerIntegrityChecks(): LedgerCheck[] {
  return [
    chartMatchesCode,
    entriesHaveTwoLines,
    entriesBalance,
    linesMatchTheirEntry,
    linesReferenceEntriesAndAccounts,
    debitsEqualCredits,
    noNegativeBalances,
    noNegativeLoanBalances,
  ];
}

/** Ask for one breach more than a check keeps, so the report knows there were more. */
const LIMIT = MAX_BREACHES_PER_CHECK + 1;

/** Debit and credit sums as text: a sum of bigints is a numeric, never a float. */
const SUMS = `coalesce(sum(l.amount_minor) FILTER (WHERE l.side = 'DEBIT'), 0)::text AS debit_minor,
              coalesce(sum(l.amount_minor) FILTER (WHERE l.side = 'CREDIT'), 0)::text AS credit_minor`;

const entryName = (key: string | null, entryId: string): string =>
  key === null ? `entry ${entryId}` : `entry ${key} (${entryId})`;

const chartMatchesCode: LedgerCheck = {
  name: 'chart-matches-code',
  description: "the database's chart of accounts (ledger_accounts) is the code's (ACCOUNTS)",
  async run(manager) {
    const rows: Array<{
      code: string;
      type: string;
      normal_side: string;
      name: string;
      may_go_negative: boolean;
    }> = await manager.query(
      `SELECT code, type, normal_side, name, may_go_negative FROM ledger_accounts ORDER BY code`,
    );
    const breaches: Breach[] = [];
    const stored = new Map(rows.map((row) => [row.code, row]));
    for (const code of ACCOUNT_CODES) {
      const row = stored.get(code);
      if (row === undefined) {
        breaches.push({ subject: `account ${code}`, detail: 'in the code but missing from ledger_accounts' });
        continue;
      }
      const definition = accountDefinition(code);
      const fields: Array<[string, string, string]> = [
        ['type', row.type, definition.type],
        ['normal side', row.normal_side, definition.normal],
        ['name', row.name, definition.name],
        ['may go negative', String(row.may_go_negative), String(definition.mayGoNegative === true)],
      ];
      for (const [field, database, inCode] of fields)
        if (database !== inCode)
          breaches.push({
            subject: `account ${code}`,
            detail: `${field}: database ${database}, code ${inCode}`,
          });
    }
    for (const row of rows)
      if (!isAccountCode(row.code))
        breaches.push({
          subject: `account ${row.code}`,
          detail: "in ledger_accounts but not in the code's chart",
        });
    return breaches;
  },
};

const entriesHaveTwoLines: LedgerCheck = {
  name: 'entries-have-two-lines',
  description: 'every journal entry has at least two lines',
  async run(manager) {
    const rows: Array<{ idempotency_key: string; entry_id: string; lines: number }> = await manager.query(
      `SELECT e.idempotency_key, e.entry_id, count(l.entry_id)::int AS lines
         FROM journal_entries e
         LEFT JOIN journal_lines l ON l.entry_id = e.entry_id
        GROUP BY e.entry_id
       HAVING count(l.entry_id) < 2
        ORDER BY e.recorded_at, e.entry_id
        LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: entryName(row.idempotency_key, row.entry_id),
      detail: `${row.lines} line(s); an entry needs at least two`,
    }));
  },
};

const entriesBalance: LedgerCheck = {
  name: 'entries-balance',
  description: "every journal entry's debits equal its credits",
  async run(manager) {
    const rows: Array<{
      idempotency_key: string;
      entry_id: string;
      debit_minor: string;
      credit_minor: string;
    }> = await manager.query(
      `SELECT e.idempotency_key, e.entry_id, sums.debit_minor, sums.credit_minor
           FROM (SELECT l.entry_id, ${SUMS} FROM journal_lines l GROUP BY l.entry_id) sums
           JOIN journal_entries e ON e.entry_id = sums.entry_id
          WHERE sums.debit_minor::numeric <> sums.credit_minor::numeric
          ORDER BY e.recorded_at, e.entry_id
          LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: entryName(row.idempotency_key, row.entry_id),
      detail: `debits ${row.debit_minor} ≠ credits ${row.credit_minor}`,
    }));
  },
};

const linesMatchTheirEntry: LedgerCheck = {
  name: 'lines-match-their-entry',
  description: "every line carries its entry's currency, merchant and loan",
  async run(manager) {
    const rows: Array<{
      idempotency_key: string;
      entry_id: string;
      line_no: number;
      line: [string, string | null, string | null];
      entry: [string, string | null, string | null];
    }> = await manager.query(
      `SELECT e.idempotency_key, e.entry_id, l.line_no,
              json_build_array(l.currency, l.merchant_id, l.loan_id) AS line,
              json_build_array(e.currency, e.merchant_id, e.loan_id) AS entry
         FROM journal_lines l
         JOIN journal_entries e ON e.entry_id = l.entry_id
        WHERE l.currency <> e.currency
           OR l.merchant_id IS DISTINCT FROM e.merchant_id
           OR l.loan_id IS DISTINCT FROM e.loan_id
        ORDER BY e.recorded_at, e.entry_id, l.line_no
        LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => {
      const fields = ['currency', 'merchant', 'loan'];
      const differences = fields.flatMap((field, index) =>
        row.line[index] === row.entry[index]
          ? []
          : [`${field} ${String(row.line[index])}, its entry's ${String(row.entry[index])}`],
      );
      return {
        subject: `line ${row.line_no} of ${entryName(row.idempotency_key, row.entry_id)}`,
        detail: differences.join('; '),
      };
    });
  },
};

const linesReferenceEntriesAndAccounts: LedgerCheck = {
  name: 'lines-reference-entries-and-accounts',
  description: 'every line belongs to an existing entry and an account of ledger_accounts',
  async run(manager) {
    const rows: Array<{
      entry_id: string;
      line_no: number;
      account_code: string;
      has_entry: boolean;
      has_account: boolean;
    }> = await manager.query(
      `SELECT l.entry_id, l.line_no, l.account_code,
                e.entry_id IS NOT NULL AS has_entry, a.code IS NOT NULL AS has_account
           FROM journal_lines l
           LEFT JOIN journal_entries e ON e.entry_id = l.entry_id
           LEFT JOIN ledger_accounts a ON a.code = l.account_code
          WHERE e.entry_id IS NULL OR a.code IS NULL
          ORDER BY l.entry_id, l.line_no
          LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: `line ${row.line_no} of entry ${row.entry_id}`,
      detail: [
        ...(row.has_entry ? [] : ['its entry does not exist']),
        ...(row.has_account ? [] : [`account ${row.account_code} is not in ledger_accounts`]),
      ].join('; '),
    }));
  },
};

const debitsEqualCredits: LedgerCheck = {
  name: 'debits-equal-credits',
  description: 'per currency, the debits of all lines equal their credits',
  async run(manager) {
    const rows: Array<{ currency: string; debit_minor: string; credit_minor: string }> = await manager.query(
      `SELECT sums.currency, sums.debit_minor, sums.credit_minor
         FROM (SELECT l.currency, ${SUMS} FROM journal_lines l GROUP BY l.currency) sums
        WHERE sums.debit_minor::numeric <> sums.credit_minor::numeric
        ORDER BY sums.currency
        LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: row.currency,
      detail: `debits ${row.debit_minor} ≠ credits ${row.credit_minor} over all lines`,
    }));
  },
};

/**
 * The code's chart as query parameters: which accounts may not go negative, and their normal
 * side. From ACCOUNTS rather than ledger_accounts, so that a chart changed by hand in the
 * database cannot change what counts as a breach (chart-matches-code reports that change).
 */
const guardedAccounts = (): [AccountCode[], boolean[]] => {
  const codes = ACCOUNT_CODES.filter((code) => accountDefinition(code).mayGoNegative !== true);
  return [codes, codes.map((code) => ACCOUNTS[code].normal === 'DEBIT')];
};

const NEGATIVE_NATURAL_BALANCE = `CASE WHEN chart.debit_normal
                                      THEN sums.debit_minor::numeric - sums.credit_minor::numeric
                                      ELSE sums.credit_minor::numeric - sums.debit_minor::numeric END < 0`;

const negativeDetail = (account: AccountCode, debit: string, credit: string): string =>
  `natural balance ${naturalBalance(account, BigInt(debit), BigInt(credit))} (debits ${debit}, credits ${credit}); ` +
  `a ${ACCOUNTS[account].normal.toLowerCase()}-normal account that may not go negative`;

const noNegativeBalances: LedgerCheck = {
  name: 'no-negative-balances',
  description: 'per currency, no account has a negative natural balance unless the chart allows it',
  async run(manager) {
    const rows: Array<{
      currency: string;
      account_code: AccountCode;
      debit_minor: string;
      credit_minor: string;
    }> = await manager.query(
      `WITH chart (code, debit_normal) AS (SELECT * FROM unnest($1::text[], $2::boolean[]))
         SELECT sums.currency, sums.account_code, sums.debit_minor, sums.credit_minor
           FROM (SELECT l.currency, l.account_code, ${SUMS} FROM journal_lines l
                  GROUP BY l.currency, l.account_code) sums
           JOIN chart ON chart.code = sums.account_code
          WHERE ${NEGATIVE_NATURAL_BALANCE}
          ORDER BY sums.currency, sums.account_code
          LIMIT $3`,
      [...guardedAccounts(), LIMIT],
    );
    return rows.map((row) => ({
      subject: `${row.currency} ${row.account_code}`,
      detail: negativeDetail(row.account_code, row.debit_minor, row.credit_minor),
    }));
  },
};

const noNegativeLoanBalances: LedgerCheck = {
  name: 'no-negative-loan-balances',
  description:
    "per loan, no account has a negative natural balance on the loan's lines unless the chart allows it",
  async run(manager) {
    const rows: Array<{
      loan_id: string;
      currency: string;
      account_code: AccountCode;
      debit_minor: string;
      credit_minor: string;
    }> = await manager.query(
      `WITH chart (code, debit_normal) AS (SELECT * FROM unnest($1::text[], $2::boolean[]))
       SELECT sums.loan_id, sums.currency, sums.account_code, sums.debit_minor, sums.credit_minor
         FROM (SELECT l.loan_id, l.currency, l.account_code, ${SUMS} FROM journal_lines l
                WHERE l.loan_id IS NOT NULL
                GROUP BY l.loan_id, l.currency, l.account_code) sums
         JOIN chart ON chart.code = sums.account_code
        WHERE ${NEGATIVE_NATURAL_BALANCE}
        ORDER BY sums.loan_id, sums.currency, sums.account_code
        LIMIT $3`,
      [...guardedAccounts(), LIMIT],
    );
    return rows.map((row) => ({
      subject: `loan ${row.loan_id} ${row.currency} ${row.account_code}`,
      detail: negativeDetail(row.account_code, row.debit_minor, row.credit_minor),
    }));
  },
};
