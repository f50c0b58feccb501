import { DelinquencyBucket } from '../delinquency';
import { assertLoan, Loan, LoanStatus } from '../loan';
import { businessInstant, instantOrNull } from './business-instant';

/**
 * A `loans` row as the driver returns it (migration 1795890200000-Loans): bigint columns as
 * decimal strings (converted with BigInt, never Number), timestamps as Dates, and the
 * accrual day as `YYYY-MM-DD` text (selected as text: the driver would turn a `date` into a
 * local-midnight Date).
 */
export interface LoanRow {
  readonly loan_id: string;
  readonly merchant_id: string;
  readonly credit_line_id: string;
  readonly request_id: string;
  readonly request_fingerprint: string;
  readonly disbursement_id: string;
  readonly currency: string;
  readonly status: LoanStatus;
  readonly principal_minor: string;
  readonly daily_rate_bps: number;
  readonly term_days: number;
  readonly policy_version: string;
  readonly requested_at: Date;
  readonly disbursed_at: Date | null;
  readonly treasury_ref: string | null;
  readonly due_at: Date | null;
  readonly principal_outstanding_minor: string;
  readonly principal_repaid_minor: string;
  readonly principal_written_off_minor: string;
  readonly interest_accrued_minor: string;
  readonly interest_outstanding_minor: string;
  readonly interest_repaid_minor: string;
  readonly interest_written_off_minor: string;
  readonly interest_carry_ten_thousandths: string;
  readonly last_accrued_day: string | null;
  readonly overdue_bucket_reported: DelinquencyBucket;
  readonly cancellation_reason: string | null;
  readonly closed_at: Date | null;
}

/** The select list of a LoanRow, for `SELECT ${LOAN_COLUMNS} FROM loans` (no table alias). */
export const LOAN_COLUMNS = `loan_id, merchant_id, credit_line_id, request_id, request_fingerprint, disbursement_id,
  currency, status, principal_minor, daily_rate_bps, term_days, policy_version, requested_at, disbursed_at,
  treasury_ref, due_at, principal_outstanding_minor, principal_repaid_minor, principal_written_off_minor,
  interest_accrued_minor, interest_outstanding_minor, interest_repaid_minor, interest_written_off_minor,
  interest_carry_ten_thousandths, last_accrued_day::text AS last_accrued_day, overdue_bucket_reported,
  cancellation_reason, closed_at`;

const DIGITS = /^-?\d{1,19}$/;

function minorOf(column: string, value: string): bigint {
  if (typeof value !== 'string' || !DIGITS.test(value))
    throw new RangeError(`loans.${column} is not a whole number: ${String(value)}`);
  return BigInt(value);
}

/**
 * The loan of a row, checked by assertLoan just after reading: a row that does not add up
 * (a bad migration, a hand-written UPDATE) crashes loudly and is never transitioned.
 */
export function loanFromRow(row: LoanRow): Loan {
  const loan = uncheckedLoanOfRow(row);
  assertLoan(loan);
  return loan;
}

/** The loan of a row as it is, not checked: for `ledger verify`, which reports a bad row instead of crashing on it. */
export function uncheckedLoanOfRow(row: LoanRow): Loan {
  return {
    loanId: row.loan_id,
    merchantId: row.merchant_id,
    creditLineId: row.credit_line_id,
    disbursementId: row.disbursement_id,
    currency: row.currency,
    status: row.status,
    principalMinor: minorOf('principal_minor', row.principal_minor),
    dailyRateBps: row.daily_rate_bps,
    termDays: row.term_days,
    policyVersion: row.policy_version,
    requestedAt: businessInstant('loans.requested_at', row.requested_at),
    disbursedAt: instantOrNull(row.disbursed_at),
    treasuryRef: row.treasury_ref,
    dueAt: instantOrNull(row.due_at),
    principalOutstandingMinor: minorOf('principal_outstanding_minor', row.principal_outstanding_minor),
    principalRepaidMinor: minorOf('principal_repaid_minor', row.principal_repaid_minor),
    principalWrittenOffMinor: minorOf('principal_written_off_minor', row.principal_written_off_minor),
    interestAccruedMinor: minorOf('interest_accrued_minor', row.interest_accrued_minor),
    interestOutstandingMinor: minorOf('interest_outstanding_minor', row.interest_outstanding_minor),
    interestRepaidMinor: minorOf('interest_repaid_minor', row.interest_repaid_minor),
    interestWrittenOffMinor: minorOf('interest_written_off_minor', row.interest_written_off_minor),
    interestCarryTenThousandths: minorOf(
      'interest_carry_ten_thousandths',
      row.interest_carry_ten_thousandths,
    ),
    lastAccruedDay: row.last_accrued_day,
    overdueBucketReported: row.overdue_bucket_reported,
    cancellationReason: row.cancellation_reason,
    closedAt: instantOrNull(row.closed_at),
  };
}
