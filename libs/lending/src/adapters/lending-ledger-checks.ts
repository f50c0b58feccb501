import { Breach, LedgerCheck, loanBalances, LoanBalance, MAX_BREACHES_PER_CHECK } from '@lendstream/ledger';
import type { EntityManager } from 'typeorm';
import { assertLoan, Loan } from '../loan';
import { loanLedgerBalances } from '../loan-journal';
import { LOAN_COLUMNS, LoanRow, uncheckedLoanOfRow } from './loan-row';

/**
 * Lending's invariants, checked by `npm run ledger -- verify` after the ledger's own (appended
 * in scripts/ledger/checks.ts): the loans table and the journal tell the same story, and every
 * credit line holds exactly what its merchant's loans hold. Each reads in bounded chunks and
 * reports at most MAX_BREACHES_PER_CHECK + 1 breaches.
 */
export function lendingLedgerChecks(): LedgerCheck[] {
  return [loansAreConsistent, loansMatchLedger, ledgerLoansExist, linesAvailableConsistent, linesMatchLoans];
}

/** Ask for one breach more than a check keeps, so the report knows there were more. */
const LIMIT = MAX_BREACHES_PER_CHECK + 1;
/** Loans read per statement while walking the table. */
const LOANS_PER_READ = 5_000;

/** Every loan row, in loan_id order, a chunk at a time, as the row says (not checked). */
async function* everyLoan(manager: EntityManager): AsyncGenerator<Loan[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: LoanRow[] = await manager.query(
      `SELECT ${LOAN_COLUMNS} FROM loans WHERE loan_id > $1 ORDER BY loan_id LIMIT $2`,
      [after, LOANS_PER_READ],
    );
    if (rows.length === 0) return;
    yield rows.map(uncheckedLoanOfRow);
    after = rows[rows.length - 1]!.loan_id;
  }
}

const loansAreConsistent: LedgerCheck = {
  name: 'loans-are-consistent',
  description:
    'every loan row adds up (principal = outstanding + repaid + written off, the same for interest, dates and amounts that fit its status)',
  async run(manager) {
    const breaches: Breach[] = [];
    for await (const loans of everyLoan(manager)) {
      for (const loan of loans) {
        try {
          assertLoan(loan);
        } catch (error) {
          breaches.push({ subject: `loan ${loan.loanId}`, detail: (error as Error).message });
          if (breaches.length >= LIMIT) return breaches;
        }
      }
    }
    return breaches;
  },
};

/** The three accounts loanBalances reads, with what the loan row says each should hold. */
function differences(loan: Loan, balance: LoanBalance | undefined): string[] {
  const expected = loanLedgerBalances(loan);
  const pairs: Array<[string, bigint, bigint]> = [
    ['LOANS_RECEIVABLE', expected.LOANS_RECEIVABLE ?? 0n, balance?.receivableMinor ?? 0n],
    [
      'LOANS_AWAITING_DISBURSEMENT',
      expected.LOANS_AWAITING_DISBURSEMENT ?? 0n,
      balance?.awaitingDisbursementMinor ?? 0n,
    ],
    ['INTEREST_RECEIVABLE', expected.INTEREST_RECEIVABLE ?? 0n, balance?.interestReceivableMinor ?? 0n],
  ];
  return pairs.flatMap(([account, fromLoan, fromLedger]) =>
    fromLoan === fromLedger ? [] : [`${account}: loan row ${fromLoan}, ledger ${fromLedger}`],
  );
}

const loansMatchLedger: LedgerCheck = {
  name: 'loans-match-ledger',
  description:
    "each loan's outstanding principal (awaiting disbursement or receivable) and interest equal its ledger balances, in its currency",
  async run(manager) {
    const breaches: Breach[] = [];
    for await (const loans of everyLoan(manager)) {
      const balances = await loanBalances(
        manager,
        loans.map((loan) => loan.loanId),
      );
      const byLoan = new Map<string, LoanBalance[]>();
      for (const balance of balances)
        byLoan.set(balance.loanId, [...(byLoan.get(balance.loanId) ?? []), balance]);
      for (const loan of loans) {
        const found = byLoan.get(loan.loanId) ?? [];
        const foreign = found.filter((balance) => balance.currency !== loan.currency);
        const details = [
          ...foreign.map((balance) => `ledger lines in ${balance.currency}, the loan is in ${loan.currency}`),
          ...differences(
            loan,
            found.find((balance) => balance.currency === loan.currency),
          ),
        ];
        if (details.length > 0) breaches.push({ subject: `loan ${loan.loanId}`, detail: details.join('; ') });
        if (breaches.length >= LIMIT) return breaches;
      }
    }
    return breaches;
  },
};

const ledgerLoansExist: LedgerCheck = {
  name: 'ledger-loans-exist',
  description: 'every loan the journal names has a loan row',
  async run(manager) {
    const rows: Array<{ loan_id: string }> = await manager.query(
      `SELECT named.loan_id
         FROM (SELECT DISTINCT loan_id FROM journal_lines WHERE loan_id IS NOT NULL) named
        WHERE NOT EXISTS (SELECT 1 FROM loans WHERE loans.loan_id::text = named.loan_id)
        ORDER BY named.loan_id
        LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: `loan ${row.loan_id}`,
      detail: 'journal lines name this loan, but the loans table has no such loan',
    }));
  },
};

interface LineAmountsRow {
  readonly merchant_id: string;
  readonly status: string;
  readonly limit_minor: string;
  readonly outstanding_minor: string;
  readonly reserved_minor: string;
  readonly available_minor: string;
  readonly expected_minor: string;
}

const linesAvailableConsistent: LedgerCheck = {
  name: 'credit-lines-available-consistent',
  description:
    "no credit line's available amount is negative, and each is ACTIVE ? max(0, limit − outstanding − reserved) : 0",
  async run(manager) {
    const rows: LineAmountsRow[] = await manager.query(
      `SELECT merchant_id, status, limit_minor::text, outstanding_minor::text, reserved_minor::text,
              available_minor::text, expected::text AS expected_minor
         FROM (SELECT *, CASE WHEN status = 'ACTIVE'
                              THEN greatest(0, limit_minor - outstanding_minor - reserved_minor) ELSE 0 END AS expected
                 FROM credit_lines) line
        WHERE available_minor < 0 OR outstanding_minor < 0 OR reserved_minor < 0 OR available_minor <> expected
        ORDER BY merchant_id
        LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: `credit line of ${row.merchant_id}`,
      detail: `${row.status}: available ${row.available_minor}, expected ${row.expected_minor} (limit ${row.limit_minor}, outstanding ${row.outstanding_minor}, reserved ${row.reserved_minor})`,
    }));
  },
};

const linesMatchLoans: LedgerCheck = {
  name: 'credit-lines-match-loans',
  description:
    "each credit line's reserved equals the principal of its merchant's loans awaiting disbursement, and its outstanding the outstanding principal of its active loans",
  async run(manager) {
    const rows: Array<{
      merchant_id: string;
      has_line: boolean;
      line_reserved: string | null;
      line_outstanding: string | null;
      loans_reserved: string;
      loans_outstanding: string;
    }> = await manager.query(
      `WITH book AS (
         SELECT merchant_id,
                coalesce(sum(principal_minor) FILTER (WHERE status = 'PENDING_DISBURSEMENT'), 0) AS reserved,
                coalesce(sum(principal_outstanding_minor) FILTER (WHERE status = 'ACTIVE'), 0) AS outstanding
           FROM loans WHERE status IN ('PENDING_DISBURSEMENT', 'ACTIVE')
          GROUP BY merchant_id)
       SELECT coalesce(line.merchant_id, book.merchant_id) AS merchant_id,
              line.merchant_id IS NOT NULL AS has_line,
              line.reserved_minor::text AS line_reserved, line.outstanding_minor::text AS line_outstanding,
              coalesce(book.reserved, 0)::text AS loans_reserved,
              coalesce(book.outstanding, 0)::text AS loans_outstanding
         FROM credit_lines line
         FULL JOIN book ON book.merchant_id = line.merchant_id
        WHERE line.merchant_id IS NULL
           OR line.reserved_minor <> coalesce(book.reserved, 0)
           OR line.outstanding_minor <> coalesce(book.outstanding, 0)
        ORDER BY 1
        LIMIT $1`,
      [LIMIT],
    );
    return rows.map((row) => ({
      subject: `credit line of ${row.merchant_id}`,
      detail: row.has_line
        ? `reserved ${row.line_reserved} (loans ${row.loans_reserved}), outstanding ${row.line_outstanding} (loans ${row.loans_outstanding})`
        : `no credit line row, but its loans hold reserved ${row.loans_reserved}, outstanding ${row.loans_outstanding}`,
    }));
  },
};
