import type { EntityManager } from 'typeorm';
import { AccountCode, isAccountCode } from '../accounts';
import {
  AccountBalance,
  accountBalanceOf,
  LOAN_BALANCE_ACCOUNTS,
  LoanAccountTotals,
  LoanBalance,
  loanBalancesFrom,
} from '../balances';

/** Loan ids per statement: a bounded array parameter. */
export const MAX_LOANS_PER_READ = 10_000;

interface TotalsRow {
  readonly currency: string;
  readonly account_code: string;
  readonly debit_minor: string;
  readonly credit_minor: string;
}

/** Debit and credit sums of a set of lines, as text: a sum of bigints is a numeric, never a float. */
const SUMS_SQL = `coalesce(sum(amount_minor) FILTER (WHERE side = 'DEBIT'), 0)::text AS debit_minor,
                  coalesce(sum(amount_minor) FILTER (WHERE side = 'CREDIT'), 0)::text AS credit_minor`;

/**
 * Every (currency, account) that has lines, with its debit and credit totals and its natural
 * balance, in (currency, account) order; one currency when `currency` is given. Derived from
 * the lines every time: no balance is stored. Feed it to trialBalance for totals.
 */
export async function accountBalances(
  manager: EntityManager,
  options: { readonly currency?: string } = {},
): Promise<AccountBalance[]> {
  const currency = options.currency ?? null;
  if (currency !== null && !/^[A-Z]{3}$/.test(currency))
    throw new RangeError(`accountBalances: currency ${JSON.stringify(currency)} is not ISO 4217`);
  const rows: TotalsRow[] = await manager.query(
    `SELECT currency, account_code, ${SUMS_SQL}
       FROM journal_lines
      WHERE $1::char(3) IS NULL OR currency = $1::char(3)
      GROUP BY currency, account_code
      ORDER BY currency, account_code`,
    [currency],
  );
  return rows.map((row) =>
    accountBalanceOf({
      currency: row.currency,
      account: knownAccount(row.account_code),
      debitMinor: BigInt(row.debit_minor),
      creditMinor: BigInt(row.credit_minor),
    }),
  );
}

/**
 * What the ledger says each loan owes (principal awaiting disbursement and receivable,
 * interest receivable), from the lines' loan_id, in (loanId, currency) order. Every loan with
 * lines, or only `loanIds`. A loan with no lines has no row: it owes 0.
 */
export async function loanBalances(
  manager: EntityManager,
  loanIds?: readonly string[],
): Promise<LoanBalance[]> {
  if (loanIds !== undefined) {
    const bad = loanIds.find((id) => typeof id !== 'string' || id.length === 0 || id.length > 128);
    if (bad !== undefined)
      throw new RangeError(`loanBalances: loan id ${JSON.stringify(bad)} is not 1–128 characters`);
  }
  const batches = loanIds === undefined ? [null] : chunk([...new Set(loanIds)], MAX_LOANS_PER_READ);
  const totals: LoanAccountTotals[] = [];
  for (const batch of batches) {
    const rows: Array<TotalsRow & { loan_id: string }> = await manager.query(
      `SELECT loan_id, currency, account_code, ${SUMS_SQL}
         FROM journal_lines
        WHERE loan_id IS NOT NULL
          AND ($1::text[] IS NULL OR loan_id = ANY ($1::text[]))
          AND account_code = ANY ($2::text[])
        GROUP BY loan_id, currency, account_code`,
      [batch, LOAN_BALANCE_ACCOUNTS],
    );
    for (const row of rows)
      totals.push({
        loanId: row.loan_id,
        currency: row.currency,
        account: knownAccount(row.account_code),
        debitMinor: BigInt(row.debit_minor),
        creditMinor: BigInt(row.credit_minor),
      });
  }
  return loanBalancesFrom(totals);
}

function knownAccount(code: string): AccountCode {
  if (!isAccountCode(code))
    throw new Error(
      `journal lines use account ${code}, which this code's chart (ACCOUNTS) does not have: ` +
        'the database was migrated by a newer version, or the chart was changed by hand',
    );
  return code;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
