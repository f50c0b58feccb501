import { formatAmountMinor } from '@lendstream/contracts';
import type { LoanDetail, LoanStatus, LoanView, RepaymentRecord } from '@lendstream/lending';

/**
 * What the loan routes answer: the stored loan and its statement as of now, as JSON for people
 * and tools. Money is always a string of digits (minor units) next to its currency; times are
 * ISO 8601. Pure: the lending read models in, JSON-safe objects out.
 */

/** A bullet loan's schedule: principal and interest fall due together at `dueAt`. */
export interface LoanScheduleView {
  /** When treasury paid: interest accrues from that UTC day, and the term runs from it. */
  readonly disbursedAt: string;
  /** The last millisecond of the due day (disbursement day + termDays). */
  readonly dueAt: string;
  readonly termDays: number;
  readonly dailyRateBps: number;
  /** The last day whose interest is posted to the ledger (the day before disbursement until the first accrual). */
  readonly lastAccruedDay: string | null;
  /** Principal and interest through yesterday: what repays the loan in full today. */
  readonly payoffTodayMinor: string;
  /** What repays it on its due day if nothing is paid before; null once the due day has passed or the loan is closed. */
  readonly payoffOnDueDayMinor: string | null;
}

export interface LoanItemView {
  readonly loanId: string;
  readonly merchantId: string;
  readonly creditLineId: string;
  readonly disbursementId: string;
  readonly status: LoanStatus;
  readonly currency: string;
  /** What was drawn. */
  readonly principalMinor: string;
  /** The line's daily rate when the loan was drawn, fixed for its life. */
  readonly dailyRateBps: number;
  readonly termDays: number;
  /** The lending policy version the drawdown was assessed under. */
  readonly policyVersion: string;
  readonly requestedAt: string;
  readonly disbursedAt: string | null;
  readonly dueAt: string | null;
  readonly closedAt: string | null;
  readonly treasuryRef: string | null;
  /** Treasury's reason for a failed disbursement. */
  readonly cancellationReason: string | null;
  /** Principal still owed. */
  readonly outstandingPrincipalMinor: string;
  /** Interest posted and not yet paid (as the scf.loans.v1 events carry it). */
  readonly accruedInterestMinor: string;
  readonly principal: {
    readonly repaidMinor: string;
    readonly writtenOffMinor: string;
  };
  readonly interest: {
    /** Posted over the loan's life (interest income). */
    readonly postedMinor: string;
    readonly repaidMinor: string;
    readonly writtenOffMinor: string;
    /** Interest of ended days the daily review has not posted yet; 0 before disbursement. */
    readonly unpostedMinor: string;
  };
  /** As of now while active; as of the day it closed for a repaid or written-off loan; null until disbursed. */
  readonly daysPastDue: number | null;
  /** CURRENT, DPD_1_30, DPD_31_60, DPD_61_90 or DPD_90_PLUS; null until disbursed. */
  readonly delinquencyBucket: string | null;
  /** Null until treasury paid the loan out (and for a cancelled loan). */
  readonly schedule: LoanScheduleView | null;
}

export interface RepaymentView {
  readonly repaymentId: string;
  readonly loanId: string;
  /** MANUAL, or SETTLEMENT_HOLDBACK with the settlement it was withheld from. */
  readonly source: string;
  readonly settlementId: string | null;
  readonly amountMinor: string;
  readonly principalMinor: string;
  readonly interestMinor: string;
  readonly currency: string;
  readonly collectedAt: string;
}

export interface LoanDetailView extends LoanItemView {
  /** The instant the statement is computed as of. */
  readonly asOf: string;
  /** Oldest first. */
  readonly repayments: readonly RepaymentView[];
}

export interface LoanPageView {
  readonly asOf: string;
  /** Newest first (by request time). */
  readonly items: readonly LoanItemView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

const minor = formatAmountMinor;

export function loanItemView({ loan, statement }: LoanView): LoanItemView {
  return {
    loanId: loan.loanId,
    merchantId: loan.merchantId,
    creditLineId: loan.creditLineId,
    disbursementId: loan.disbursementId,
    status: loan.status,
    currency: loan.currency,
    principalMinor: minor(loan.principalMinor),
    dailyRateBps: loan.dailyRateBps,
    termDays: loan.termDays,
    policyVersion: loan.policyVersion,
    requestedAt: loan.requestedAt,
    disbursedAt: loan.disbursedAt,
    dueAt: loan.dueAt,
    closedAt: loan.closedAt,
    treasuryRef: loan.treasuryRef,
    cancellationReason: loan.cancellationReason,
    outstandingPrincipalMinor: minor(loan.principalOutstandingMinor),
    accruedInterestMinor: minor(loan.interestOutstandingMinor),
    principal: {
      repaidMinor: minor(loan.principalRepaidMinor),
      writtenOffMinor: minor(loan.principalWrittenOffMinor),
    },
    interest: {
      postedMinor: minor(loan.interestAccruedMinor),
      repaidMinor: minor(loan.interestRepaidMinor),
      writtenOffMinor: minor(loan.interestWrittenOffMinor),
      unpostedMinor: minor(statement?.interestUnpostedMinor ?? 0n),
    },
    daysPastDue: statement?.daysPastDue ?? null,
    delinquencyBucket: statement?.bucket ?? null,
    schedule:
      statement === null || loan.disbursedAt === null
        ? null
        : {
            disbursedAt: loan.disbursedAt,
            dueAt: statement.dueAt,
            termDays: loan.termDays,
            dailyRateBps: loan.dailyRateBps,
            lastAccruedDay: loan.lastAccruedDay,
            payoffTodayMinor: minor(statement.payoffTodayMinor),
            payoffOnDueDayMinor:
              statement.payoffOnDueDayMinor === null ? null : minor(statement.payoffOnDueDayMinor),
          },
  };
}

export const repaymentView = (repayment: RepaymentRecord): RepaymentView => ({
  repaymentId: repayment.repaymentId,
  loanId: repayment.loanId,
  source: repayment.source,
  settlementId: repayment.settlementId,
  amountMinor: minor(repayment.amountMinor),
  principalMinor: minor(repayment.principalMinor),
  interestMinor: minor(repayment.interestMinor),
  currency: repayment.currency,
  collectedAt: repayment.collectedAt,
});

export const loanDetailView = (detail: LoanDetail, asOf: string): LoanDetailView => ({
  ...loanItemView(detail),
  asOf,
  repayments: detail.repayments.map(repaymentView),
});
