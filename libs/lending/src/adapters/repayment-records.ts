import type { EntityManager } from 'typeorm';
import { RepaymentSource } from '../lending-events';
import { businessInstant } from './business-instant';

/** A `repayments` row: one loan paid by one repayment (the record of a `repayment.collected`). */
export interface RepaymentRecord {
  readonly repaymentId: string;
  readonly loanId: string;
  readonly merchantId: string;
  readonly source: RepaymentSource;
  readonly settlementId: string | null;
  readonly amountMinor: bigint;
  readonly principalMinor: bigint;
  readonly interestMinor: bigint;
  readonly currency: string;
  readonly collectedAt: string;
}

interface RepaymentRow {
  readonly repayment_id: string;
  readonly loan_id: string;
  readonly merchant_id: string;
  readonly source: RepaymentSource;
  readonly settlement_id: string | null;
  readonly amount_minor: string;
  readonly principal_minor: string;
  readonly interest_minor: string;
  readonly currency: string;
  readonly collected_at: Date;
}

const REPAYMENT_COLUMNS = `repayment_id, loan_id, merchant_id, source, settlement_id, amount_minor,
  principal_minor, interest_minor, currency, collected_at`;

const recordOf = (row: RepaymentRow): RepaymentRecord => ({
  repaymentId: row.repayment_id,
  loanId: row.loan_id,
  merchantId: row.merchant_id,
  source: row.source,
  settlementId: row.settlement_id,
  amountMinor: BigInt(row.amount_minor),
  principalMinor: BigInt(row.principal_minor),
  interestMinor: BigInt(row.interest_minor),
  currency: row.currency,
  collectedAt: businessInstant('repayments.collected_at', row.collected_at),
});

/** The repayment with this id, or null. */
export async function findRepayment(
  manager: EntityManager,
  repaymentId: string,
): Promise<RepaymentRecord | null> {
  const rows: RepaymentRow[] = await manager.query(
    `SELECT ${REPAYMENT_COLUMNS} FROM repayments WHERE repayment_id = $1`,
    [repaymentId],
  );
  return rows[0] === undefined ? null : recordOf(rows[0]);
}

/** Most repayments a loan view lists: a loan is repaid by at most a few hundred settlements. */
export const MAX_REPAYMENTS_PER_LOAN_VIEW = 500;

/** A loan's repayments, oldest first (at most MAX_REPAYMENTS_PER_LOAN_VIEW, the newest of them). */
export async function repaymentsOfLoan(manager: EntityManager, loanId: string): Promise<RepaymentRecord[]> {
  const rows: RepaymentRow[] = await manager.query(
    `SELECT * FROM (
       SELECT ${REPAYMENT_COLUMNS} FROM repayments WHERE loan_id = $1
        ORDER BY collected_at DESC, repayment_id DESC LIMIT $2) newest
     ORDER BY collected_at, repayment_id`,
    [loanId, MAX_REPAYMENTS_PER_LOAN_VIEW],
  );
  return rows.map(recordOf);
}
