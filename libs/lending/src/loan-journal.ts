import {
  AccountCode,
  assertBalanced,
  EntryCode,
  JournalEntryDraft,
  JournalLine,
  withoutZeroLines,
} from '@lendstream/ledger';
import { BusinessDay, endOfDay } from './business-day';
import { RepaymentSource } from './lending-events';
import { Loan } from './loan';

/**
 * The posting rules: the journal entry of each money movement of a loan. Every entry is built
 * here, checked with assertBalanced, and carries an idempotency key derived from the business
 * key of the movement, so that posting it twice (a retried transaction, a job run twice) posts
 * it once. An entry whose amounts are all zero is not posted at all (null).
 */
export const journalKeys = {
  drawdownReserved: (disbursementId: string) => `drawdown-reserved:${disbursementId}`,
  disbursementSettled: (disbursementId: string) => `disbursement-settled:${disbursementId}`,
  disbursementFailed: (disbursementId: string) => `disbursement-failed:${disbursementId}`,
  interestAccrued: (loanId: string, day: BusinessDay) => `accrual:${loanId}:${day}`,
  /** One settlement repays several loans: one entry per loan. */
  holdback: (settlementId: string, loanId: string) => `holdback:${settlementId}:${loanId}`,
  manualRepayment: (repaymentId: string) => `manual-repayment:${repaymentId}`,
  writeOff: (loanId: string) => `write-off:${loanId}`,
};

const debit = (account: AccountCode, amountMinor: bigint): JournalLine => ({
  account,
  side: 'DEBIT',
  amountMinor,
});
const credit = (account: AccountCode, amountMinor: bigint): JournalLine => ({
  account,
  side: 'CREDIT',
  amountMinor,
});

function entry(
  loan: Loan,
  code: EntryCode,
  idempotencyKey: string,
  effectiveAt: string,
  lines: JournalLine[],
): JournalEntryDraft | null {
  const posted = withoutZeroLines(lines);
  if (posted.length === 0) return null;
  const draft: JournalEntryDraft = {
    idempotencyKey,
    code,
    currency: loan.currency,
    effectiveAt,
    merchantId: loan.merchantId,
    loanId: loan.loanId,
    lines: posted,
  };
  assertBalanced(draft);
  return draft;
}

/** Drawdown: the principal is committed to the loan and owed to treasury to pay out. */
export const drawdownReservedEntry = (loan: Loan): JournalEntryDraft | null =>
  entry(loan, 'DRAWDOWN_RESERVED', journalKeys.drawdownReserved(loan.disbursementId), loan.requestedAt, [
    debit('LOANS_AWAITING_DISBURSEMENT', loan.principalMinor),
    credit('DISBURSEMENTS_PAYABLE', loan.principalMinor),
  ]);

/** Treasury paid: the commitment becomes a receivable, and the payable is settled from treasury's funds. */
export const disbursementSettledEntry = (loan: Loan, settledAt: string): JournalEntryDraft | null =>
  entry(loan, 'DISBURSEMENT_SETTLED', journalKeys.disbursementSettled(loan.disbursementId), settledAt, [
    debit('LOANS_RECEIVABLE', loan.principalMinor),
    credit('LOANS_AWAITING_DISBURSEMENT', loan.principalMinor),
    debit('DISBURSEMENTS_PAYABLE', loan.principalMinor),
    credit('TREASURY_CLEARING', loan.principalMinor),
  ]);

/** Treasury paid nothing: the commitment is reversed. */
export const disbursementFailedEntry = (loan: Loan, failedAt: string): JournalEntryDraft | null =>
  entry(loan, 'DISBURSEMENT_FAILED', journalKeys.disbursementFailed(loan.disbursementId), failedAt, [
    debit('DISBURSEMENTS_PAYABLE', loan.principalMinor),
    credit('LOANS_AWAITING_DISBURSEMENT', loan.principalMinor),
  ]);

/** A day's interest, booked at the day's last millisecond. */
export const interestAccruedEntry = (
  loan: Loan,
  day: BusinessDay,
  interestMinor: bigint,
): JournalEntryDraft | null =>
  entry(loan, 'INTEREST_ACCRUED', journalKeys.interestAccrued(loan.loanId, day), endOfDay(day), [
    debit('INTEREST_RECEIVABLE', interestMinor),
    credit('INTEREST_INCOME', interestMinor),
  ]);

export interface RepaymentPosting {
  readonly repaymentId: string;
  readonly source: RepaymentSource;
  /** Required for SETTLEMENT_HOLDBACK, absent for MANUAL. */
  readonly settlementId: string | null;
  readonly interestMinor: bigint;
  readonly principalMinor: bigint;
  readonly collectedAt: string;
}

/**
 * A repayment pays interest and principal down. A holdback is money the settlement system
 * withheld for us and owes us; a manual repayment arrived at treasury.
 */
export function repaymentEntry(loan: Loan, repayment: RepaymentPosting): JournalEntryDraft | null {
  const total = repayment.interestMinor + repayment.principalMinor;
  const lines = [
    credit('INTEREST_RECEIVABLE', repayment.interestMinor),
    credit('LOANS_RECEIVABLE', repayment.principalMinor),
  ];
  if (repayment.source === 'SETTLEMENT_HOLDBACK') {
    if (repayment.settlementId === null)
      throw new RangeError(`holdback repayment ${repayment.repaymentId} has no settlementId`);
    return entry(
      loan,
      'REPAYMENT_HOLDBACK',
      journalKeys.holdback(repayment.settlementId, loan.loanId),
      repayment.collectedAt,
      [debit('SETTLEMENT_HOLDBACKS_RECEIVABLE', total), ...lines],
    );
  }
  if (repayment.settlementId !== null)
    throw new RangeError(
      `manual repayment ${repayment.repaymentId} names settlement ${repayment.settlementId}`,
    );
  return entry(
    loan,
    'REPAYMENT_MANUAL',
    journalKeys.manualRepayment(repayment.repaymentId),
    repayment.collectedAt,
    [debit('TREASURY_CLEARING', total), ...lines],
  );
}

/** The loan is given up as lost: what is still owed, principal and interest, becomes an expense. */
export const writeOffEntry = (
  loan: Loan,
  amounts: { readonly principalMinor: bigint; readonly interestMinor: bigint },
  writtenOffAt: string,
): JournalEntryDraft | null =>
  entry(loan, 'LOAN_WRITTEN_OFF', journalKeys.writeOff(loan.loanId), writtenOffAt, [
    debit('WRITE_OFF_EXPENSE', amounts.principalMinor + amounts.interestMinor),
    credit('LOANS_RECEIVABLE', amounts.principalMinor),
    credit('INTEREST_RECEIVABLE', amounts.interestMinor),
  ]);

/**
 * The balances one loan's entries leave on the accounts that belong to the loan alone, in each
 * account's natural sign: what `ledger verify` compares with the loan row. Treasury clearing and
 * holdbacks receivable are pooled across loans and are not listed.
 */
export function loanLedgerBalances(loan: Loan): Readonly<Partial<Record<AccountCode, bigint>>> {
  const pending = loan.status === 'PENDING_DISBURSEMENT' ? loan.principalMinor : 0n;
  return {
    LOANS_AWAITING_DISBURSEMENT: pending,
    DISBURSEMENTS_PAYABLE: pending,
    LOANS_RECEIVABLE: loan.principalOutstandingMinor,
    INTEREST_RECEIVABLE: loan.interestOutstandingMinor,
    INTEREST_INCOME: loan.interestAccruedMinor,
    WRITE_OFF_EXPENSE: loan.principalWrittenOffMinor + loan.interestWrittenOffMinor,
  };
}

/** Keeps the entries that post something. */
export const postable = (entries: readonly (JournalEntryDraft | null)[]): JournalEntryDraft[] =>
  entries.filter((draft): draft is JournalEntryDraft => draft !== null);
