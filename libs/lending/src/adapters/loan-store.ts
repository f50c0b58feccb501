import type { EntityManager } from 'typeorm';
import { assertLoan, Loan } from '../loan';
import { isUuid } from './deterministic-uuid';
import { LOAN_COLUMNS, loanFromRow, LoanRow } from './loan-row';

/** A loan as stored, with the request that made it (its idempotency key and what was asked). */
export interface LoanRecord {
  readonly loan: Loan;
  readonly requestId: string;
  /** The request's amount, currency and term, as requestFingerprintOf spells them. */
  readonly requestFingerprint: string;
}

/** A loan a drawdown has just made, and the request it answers. */
export type NewLoan = LoanRecord;

/** Loans per statement of a bulk write: bounded array parameters. */
export const MAX_LOANS_PER_STATEMENT = 1_000;

const OPEN_STATUSES = ['PENDING_DISBURSEMENT', 'ACTIVE'] as const;

const recordOf = (row: LoanRow): LoanRecord => ({
  loan: loanFromRow(row),
  requestId: row.request_id,
  requestFingerprint: row.request_fingerprint,
});

/** The loan with this id, or null (also for an id that is not a UUID: it names no loan). Read without a lock. */
export async function findLoan(manager: EntityManager, loanId: string): Promise<LoanRecord | null> {
  if (!isUuid(loanId)) return null;
  const rows: LoanRow[] = await manager.query(`SELECT ${LOAN_COLUMNS} FROM loans WHERE loan_id = $1`, [
    loanId,
  ]);
  return rows[0] === undefined ? null : recordOf(rows[0]);
}

/** The loan paid out under this disbursement id, or null. Read without a lock. */
export async function findLoanByDisbursementId(
  manager: EntityManager,
  disbursementId: string,
): Promise<LoanRecord | null> {
  if (!isUuid(disbursementId)) return null;
  const rows: LoanRow[] = await manager.query(
    `SELECT ${LOAN_COLUMNS} FROM loans WHERE disbursement_id = $1`,
    [disbursementId],
  );
  return rows[0] === undefined ? null : recordOf(rows[0]);
}

/** The loan a merchant's request made, or null. Read without a lock (call it with the merchant's line locked). */
export async function findLoanByRequest(
  manager: EntityManager,
  merchantId: string,
  requestId: string,
): Promise<LoanRecord | null> {
  const rows: LoanRow[] = await manager.query(
    `SELECT ${LOAN_COLUMNS} FROM loans WHERE merchant_id = $1 AND request_id = $2`,
    [merchantId, requestId],
  );
  return rows[0] === undefined ? null : recordOf(rows[0]);
}

/**
 * These loans, locked FOR UPDATE until the transaction ends, in loan_id order (one order for
 * every locker). Take the merchant's credit line lock first (lockLendingLine): every writer of
 * a merchant's loans does, so two of them never wait on each other in a cycle.
 */
export async function lockLoans(manager: EntityManager, loanIds: readonly string[]): Promise<Loan[]> {
  const ids = [...new Set(loanIds)].filter(isUuid);
  if (ids.length === 0) return [];
  const rows: LoanRow[] = await manager.query(
    `SELECT ${LOAN_COLUMNS} FROM loans WHERE loan_id = ANY ($1::uuid[]) ORDER BY loan_id FOR UPDATE`,
    [ids],
  );
  return rows.map(loanFromRow);
}

/** The merchant's loans awaiting disbursement or active, locked FOR UPDATE, in loan_id order (after its line). */
export async function lockOpenLoansOf(manager: EntityManager, merchantId: string): Promise<Loan[]> {
  const rows: LoanRow[] = await manager.query(
    `SELECT ${LOAN_COLUMNS} FROM loans
      WHERE merchant_id = $1 AND status = ANY ($2::text[])
      ORDER BY loan_id FOR UPDATE`,
    [merchantId, OPEN_STATUSES],
  );
  return rows.map(loanFromRow);
}

/** How many loans the merchant has awaiting disbursement or active (the policy bounds it). */
export async function openLoanCountOf(manager: EntityManager, merchantId: string): Promise<number> {
  const [row]: Array<{ open: number }> = await manager.query(
    `SELECT count(*)::int AS open FROM loans WHERE merchant_id = $1 AND status = ANY ($2::text[])`,
    [merchantId, OPEN_STATUSES],
  );
  return row?.open ?? 0;
}

/** Every column of a loan, in INSERT order, as bind arrays (one array per column). */
function loanColumnArrays(loans: readonly Loan[]) {
  const text = (value: bigint): string => value.toString();
  return {
    loan_id: loans.map((loan) => loan.loanId),
    merchant_id: loans.map((loan) => loan.merchantId),
    credit_line_id: loans.map((loan) => loan.creditLineId),
    disbursement_id: loans.map((loan) => loan.disbursementId),
    currency: loans.map((loan) => loan.currency),
    status: loans.map((loan) => loan.status),
    principal_minor: loans.map((loan) => text(loan.principalMinor)),
    daily_rate_bps: loans.map((loan) => loan.dailyRateBps),
    term_days: loans.map((loan) => loan.termDays),
    policy_version: loans.map((loan) => loan.policyVersion),
    requested_at: loans.map((loan) => loan.requestedAt),
    disbursed_at: loans.map((loan) => loan.disbursedAt),
    treasury_ref: loans.map((loan) => loan.treasuryRef),
    due_at: loans.map((loan) => loan.dueAt),
    principal_outstanding_minor: loans.map((loan) => text(loan.principalOutstandingMinor)),
    principal_repaid_minor: loans.map((loan) => text(loan.principalRepaidMinor)),
    principal_written_off_minor: loans.map((loan) => text(loan.principalWrittenOffMinor)),
    interest_accrued_minor: loans.map((loan) => text(loan.interestAccruedMinor)),
    interest_outstanding_minor: loans.map((loan) => text(loan.interestOutstandingMinor)),
    interest_repaid_minor: loans.map((loan) => text(loan.interestRepaidMinor)),
    interest_written_off_minor: loans.map((loan) => text(loan.interestWrittenOffMinor)),
    interest_carry_ten_thousandths: loans.map((loan) => text(loan.interestCarryTenThousandths)),
    last_accrued_day: loans.map((loan) => loan.lastAccruedDay),
    overdue_bucket_reported: loans.map((loan) => loan.overdueBucketReported),
    cancellation_reason: loans.map((loan) => loan.cancellationReason),
    closed_at: loans.map((loan) => loan.closedAt),
  };
}

/** The Postgres type of each column's bind array. */
const COLUMN_TYPES: Record<keyof ReturnType<typeof loanColumnArrays>, string> = {
  loan_id: 'uuid',
  merchant_id: 'text',
  credit_line_id: 'uuid',
  disbursement_id: 'uuid',
  currency: 'text',
  status: 'text',
  principal_minor: 'bigint',
  daily_rate_bps: 'int',
  term_days: 'int',
  policy_version: 'text',
  requested_at: 'timestamptz',
  disbursed_at: 'timestamptz',
  treasury_ref: 'text',
  due_at: 'timestamptz',
  principal_outstanding_minor: 'bigint',
  principal_repaid_minor: 'bigint',
  principal_written_off_minor: 'bigint',
  interest_accrued_minor: 'bigint',
  interest_outstanding_minor: 'bigint',
  interest_repaid_minor: 'bigint',
  interest_written_off_minor: 'bigint',
  interest_carry_ten_thousandths: 'bigint',
  last_accrued_day: 'date',
  overdue_bucket_reported: 'text',
  cancellation_reason: 'text',
  closed_at: 'timestamptz',
};

const COLUMNS = Object.keys(COLUMN_TYPES) as Array<keyof typeof COLUMN_TYPES>;

/** What a transition may change; the rest of a loan is fixed at drawdown. */
const MUTABLE_COLUMNS: ReadonlyArray<keyof typeof COLUMN_TYPES> = [
  'status',
  'disbursed_at',
  'treasury_ref',
  'due_at',
  'principal_outstanding_minor',
  'principal_repaid_minor',
  'principal_written_off_minor',
  'interest_accrued_minor',
  'interest_outstanding_minor',
  'interest_repaid_minor',
  'interest_written_off_minor',
  'interest_carry_ten_thousandths',
  'last_accrued_day',
  'overdue_bucket_reported',
  'cancellation_reason',
  'closed_at',
];
const FIXED_COLUMNS = COLUMNS.filter((column) => column !== 'loan_id' && !MUTABLE_COLUMNS.includes(column));

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += MAX_LOANS_PER_STATEMENT)
    result.push(items.slice(start, start + MAX_LOANS_PER_STATEMENT));
  return result;
}

function assertDistinct(loans: readonly Loan[]): void {
  const ids = new Set(loans.map((loan) => loan.loanId));
  if (ids.size !== loans.length) throw new RangeError('the same loan appears twice in one write');
}

/**
 * Inserts new loans with the requests that made them, checked by assertLoan just before
 * writing. A loan id or (merchant, requestId) already taken fails the statement (a unique
 * violation): callers hold the merchant's line lock and look the request up first, so only a
 * bug gets there, and it must not be papered over.
 */
export async function insertLoans(manager: EntityManager, records: readonly NewLoan[]): Promise<void> {
  records.forEach((record) => assertLoan(record.loan));
  assertDistinct(records.map((record) => record.loan));
  for (const chunk of chunks(records)) {
    const arrays = loanColumnArrays(chunk.map((record) => record.loan));
    const parameters: unknown[] = COLUMNS.map((column) => arrays[column]);
    parameters.push(
      chunk.map((record) => record.requestId),
      chunk.map((record) => record.requestFingerprint),
    );
    const unnest = COLUMNS.map((column, index) => `$${index + 1}::${COLUMN_TYPES[column]}[]`).join(', ');
    const requestIndex = COLUMNS.length + 1;
    await manager.query(
      `INSERT INTO loans (${COLUMNS.join(', ')}, request_id, request_fingerprint)
       SELECT * FROM unnest(${unnest}, $${requestIndex}::text[], $${requestIndex + 1}::text[])`,
      parameters,
    );
  }
}

/**
 * Writes the new state of existing loans (call with them locked), checked by assertLoan just
 * before writing. Only what a transition may change is written; a loan whose fixed terms
 * (merchant, line, principal, rate, term…) differ from its row is a bug, and so is a loan
 * that does not exist: either fails the write.
 */
export async function updateLoans(manager: EntityManager, loans: readonly Loan[]): Promise<void> {
  loans.forEach(assertLoan);
  assertDistinct(loans);
  for (const chunk of chunks(loans)) {
    const arrays = loanColumnArrays(chunk);
    const parameters: unknown[] = COLUMNS.map((column) => arrays[column]);
    const unnest = COLUMNS.map((column, index) => `$${index + 1}::${COLUMN_TYPES[column]}[]`).join(', ');
    const [{ updated }]: Array<{ updated: number }> = await manager.query(
      `WITH updated AS (
         UPDATE loans SET ${MUTABLE_COLUMNS.map((column) => `${column} = next.${column}`).join(', ')},
                version = loans.version + 1, updated_at = now()
           FROM unnest(${unnest}) AS next (${COLUMNS.join(', ')})
          WHERE loans.loan_id = next.loan_id
            AND ${FIXED_COLUMNS.map((column) => `loans.${column} = next.${column}`).join(' AND ')}
         RETURNING 1)
       SELECT count(*)::int AS updated FROM updated`,
      parameters,
    );
    if (updated !== chunk.length)
      throw new Error(
        `updateLoans: wrote ${updated} of ${chunk.length} loans; a loan is missing or its fixed terms changed`,
      );
  }
}
