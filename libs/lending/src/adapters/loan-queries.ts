import type { EntityManager } from 'typeorm';
import { businessDayOf } from '../business-day';
import { DelinquencyBucket, DELINQUENCY_BUCKETS } from '../delinquency';
import { LendingPolicy } from '../lending-policy';
import { LoanBookPosition, lendingPositionOf } from '../lending-position';
import { Loan, LOAN_STATUSES, LoanStatus } from '../loan';
import { LoanStatement, loanStatement } from '../loan-statement';
import { businessInstant } from './business-instant';
import { isUuid } from './deterministic-uuid';
import { LOAN_COLUMNS, loanFromRow, LoanRow } from './loan-row';
import { findLoan } from './loan-store';
import { RepaymentRecord, repaymentsOfLoan } from './repayment-records';
import { bucketSql } from './review-loans';

/**
 * The read side of lending for the ops API (`GET /v1/loans/{loanId}`,
 * `GET /v1/merchants/{merchantId}/loans`, `GET /v1/portfolio`): read only, no locks, amounts as
 * bigint (the API turns them into digit strings).
 */

/** A loan as of `now`: its stored state, and for a disbursed loan its statement (days past due, payoff…). */
export interface LoanView {
  readonly loan: Loan;
  /** Null until treasury paid the loan out (and for a cancelled loan). */
  readonly statement: LoanStatement | null;
}

export interface LoanDetail extends LoanView {
  /** Oldest first (the newest MAX_REPAYMENTS_PER_LOAN_VIEW). */
  readonly repayments: readonly RepaymentRecord[];
}

const viewOf = (loan: Loan, now: string, policy: LendingPolicy): LoanView => ({
  loan,
  statement: loan.dueAt === null ? null : loanStatement(loan, now, policy),
});

/** One loan with its statement and repayments as of `now`; null when no loan has the id. */
export async function loanById(
  manager: EntityManager,
  loanId: string,
  now: string,
  policy: LendingPolicy,
): Promise<LoanDetail | null> {
  const asOf = businessInstant('now', now);
  const found = await findLoan(manager, loanId);
  if (found === null) return null;
  return { ...viewOf(found.loan, asOf, policy), repayments: await repaymentsOfLoan(manager, loanId) };
}

export const LOAN_PAGE_SIZE_MAX = 100;

export interface LoanPage {
  /** Newest first (by request time, then loan id). */
  readonly items: readonly LoanView[];
  /** The last loan of this page when there may be more: pass it as `afterLoanId` for the next. */
  readonly nextAfterLoanId: string | null;
}

/**
 * A page of the merchant's loans, newest first, keyed on the last loan of the previous page
 * (`afterLoanId`, which must be one of the merchant's loans: otherwise a RangeError, for the
 * API's 400), not an offset: pages neither skip nor repeat while new loans arrive. Served by
 * the index loans_by_merchant_newest.
 */
export async function loansOfMerchant(
  manager: EntityManager,
  merchantId: string,
  page: { readonly limit: number; readonly afterLoanId?: string },
  now: string,
  policy: LendingPolicy,
): Promise<LoanPage> {
  const asOf = businessInstant('now', now);
  if (!Number.isSafeInteger(page.limit) || page.limit < 1 || page.limit > LOAN_PAGE_SIZE_MAX)
    throw new RangeError(`limit must be a whole number from 1 to ${LOAN_PAGE_SIZE_MAX}, got ${page.limit}`);
  const after = page.afterLoanId ?? null;
  if (after !== null) {
    const anchor = isUuid(after) ? await findLoan(manager, after) : null;
    if (anchor === null || anchor.loan.merchantId !== merchantId)
      throw new RangeError(`afterLoanId ${JSON.stringify(after)} is not a loan of merchant ${merchantId}`);
  }
  const rows: LoanRow[] = await manager.query(
    `SELECT ${LOAN_COLUMNS} FROM loans
      WHERE merchant_id = $1
        AND ($2::uuid IS NULL OR (requested_at, loan_id) <
             (SELECT requested_at, loan_id FROM loans WHERE loan_id = $2::uuid))
      ORDER BY requested_at DESC, loan_id DESC
      LIMIT $3`,
    [merchantId, after, page.limit + 1],
  );
  const loans = rows.slice(0, page.limit).map(loanFromRow);
  return {
    items: loans.map((loan) => viewOf(loan, asOf, policy)),
    nextAfterLoanId: rows.length > page.limit ? loans[loans.length - 1]!.loanId : null,
  };
}

export interface AmountsByLoans {
  readonly count: number;
  readonly principalMinor: bigint;
  readonly outstandingPrincipalMinor: bigint;
  readonly outstandingInterestMinor: bigint;
}

export interface CurrencyPortfolio {
  readonly currency: string;
  /** Every status, zero when none: what was drawn (principal) and what is still owed. */
  readonly byStatus: Readonly<Record<LoanStatus, AmountsByLoans>>;
  /** Active loans by days-past-due bucket as of `asOf`. */
  readonly activeByBucket: Readonly<Record<DelinquencyBucket, AmountsByLoans>>;
  /** Principal reserved on lines for loans awaiting disbursement. */
  readonly reservedMinor: bigint;
  /** Outstanding principal and interest of active loans. */
  readonly exposureMinor: bigint;
  /** Interest accrued over every loan's life (posted to INTEREST_INCOME). */
  readonly interestEarnedMinor: bigint;
  readonly interestCollectedMinor: bigint;
  /** What write-offs gave up, principal and interest (WRITE_OFF_EXPENSE). */
  readonly lossesPrincipalMinor: bigint;
  readonly lossesInterestMinor: bigint;
}

export interface PortfolioSummary {
  readonly asOf: string;
  /** Per currency, in currency order: amounts of different currencies are never added. */
  readonly currencies: readonly CurrencyPortfolio[];
}

interface PortfolioRow {
  readonly currency: string;
  readonly status: LoanStatus;
  readonly bucket: DelinquencyBucket | null;
  readonly loans: number;
  readonly principal: string;
  readonly outstanding_principal: string;
  readonly outstanding_interest: string;
  readonly interest_accrued: string;
  readonly interest_repaid: string;
  readonly principal_written_off: string;
  readonly interest_written_off: string;
}

const NONE: AmountsByLoans = {
  count: 0,
  principalMinor: 0n,
  outstandingPrincipalMinor: 0n,
  outstandingInterestMinor: 0n,
};

const plus = (sum: AmountsByLoans, row: PortfolioRow): AmountsByLoans => ({
  count: sum.count + row.loans,
  principalMinor: sum.principalMinor + BigInt(row.principal),
  outstandingPrincipalMinor: sum.outstandingPrincipalMinor + BigInt(row.outstanding_principal),
  outstandingInterestMinor: sum.outstandingInterestMinor + BigInt(row.outstanding_interest),
});

/**
 * The portfolio as of `now`: loans by status and, for active loans, by days-past-due bucket
 * (CURRENT, 1–30, 31–60, 61–90, 90+), with interest earned and losses, per currency. One
 * aggregate over the loans table (sums of bigint as numeric text, never floats).
 */
export async function portfolioSummary(manager: EntityManager, now: string): Promise<PortfolioSummary> {
  const asOf = businessInstant('now', now);
  const rows: PortfolioRow[] = await manager.query(
    `SELECT currency, status,
            CASE WHEN status = 'ACTIVE' THEN ${bucketSql(`($1::date - (due_at AT TIME ZONE 'UTC')::date)`)} END AS bucket,
            count(*)::int AS loans,
            sum(principal_minor)::text AS principal,
            sum(principal_outstanding_minor)::text AS outstanding_principal,
            sum(interest_outstanding_minor)::text AS outstanding_interest,
            sum(interest_accrued_minor)::text AS interest_accrued,
            sum(interest_repaid_minor)::text AS interest_repaid,
            sum(principal_written_off_minor)::text AS principal_written_off,
            sum(interest_written_off_minor)::text AS interest_written_off
       FROM loans
      GROUP BY 1, 2, 3
      ORDER BY 1`,
    [businessDayOf(asOf)],
  );
  const currencies = [...new Set(rows.map((row) => row.currency))].sort();
  return {
    asOf,
    currencies: currencies.map((currency) => {
      const mine = rows.filter((row) => row.currency === currency);
      const byStatus = Object.fromEntries(LOAN_STATUSES.map((status) => [status, NONE])) as Record<
        LoanStatus,
        AmountsByLoans
      >;
      const activeByBucket = Object.fromEntries(
        DELINQUENCY_BUCKETS.map((bucket) => [bucket, NONE]),
      ) as Record<DelinquencyBucket, AmountsByLoans>;
      let interestEarnedMinor = 0n;
      let interestCollectedMinor = 0n;
      let lossesPrincipalMinor = 0n;
      let lossesInterestMinor = 0n;
      for (const row of mine) {
        byStatus[row.status] = plus(byStatus[row.status], row);
        if (row.bucket !== null) activeByBucket[row.bucket] = plus(activeByBucket[row.bucket], row);
        interestEarnedMinor += BigInt(row.interest_accrued);
        interestCollectedMinor += BigInt(row.interest_repaid);
        lossesPrincipalMinor += BigInt(row.principal_written_off);
        lossesInterestMinor += BigInt(row.interest_written_off);
      }
      return {
        currency,
        byStatus,
        activeByBucket,
        reservedMinor: byStatus.PENDING_DISBURSEMENT.principalMinor,
        exposureMinor: byStatus.ACTIVE.outstandingPrincipalMinor + byStatus.ACTIVE.outstandingInterestMinor,
        interestEarnedMinor,
        interestCollectedMinor,
        lossesPrincipalMinor,
        lossesInterestMinor,
      };
    }),
  };
}

/**
 * Each merchant's lending position as the underwriter needs it (outstanding, reserved, and
 * whether a loan is overdue or was written off), computed by the pure lendingPositionOf from
 * the merchant's open and written-off loans. Every merchant asked for is in the result.
 */
export async function lendingPositionsOf(
  manager: EntityManager,
  merchantIds: readonly string[],
  now: string,
): Promise<Map<string, LoanBookPosition>> {
  const asOf = businessInstant('now', now);
  const wanted = [...new Set(merchantIds)];
  const rows: LoanRow[] =
    wanted.length === 0
      ? []
      : await manager.query(
          `SELECT ${LOAN_COLUMNS} FROM loans
            WHERE merchant_id = ANY ($1::text[])
              AND status IN ('PENDING_DISBURSEMENT', 'ACTIVE', 'WRITTEN_OFF')`,
          [wanted],
        );
  const byMerchant = new Map<string, Loan[]>(wanted.map((merchantId) => [merchantId, []]));
  for (const row of rows) byMerchant.get(row.merchant_id)!.push(loanFromRow(row));
  return new Map([...byMerchant].map(([merchantId, loans]) => [merchantId, lendingPositionOf(loans, asOf)]));
}
