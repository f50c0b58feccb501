/**
 * Journal drafts for one loan's life, by the posting rules lending uses (docs/ledger.md), so
 * that the ledger's tests post a realistic book without depending on libs/lending.
 */
import { randomUUID } from 'node:crypto';
import type { JournalEntryDraft, JournalLine } from '@lendstream/ledger';

export interface TestLoan {
  readonly loanId: string;
  readonly merchantId: string;
  readonly currency: string;
}

export const newTestLoan = (currency = 'CNY', merchantId = `m-${randomUUID().slice(0, 8)}`): TestLoan => ({
  loanId: randomUUID(),
  merchantId,
  currency,
});

const DAY_MS = 86_400_000;
const at = (day: number): string => new Date(Date.UTC(2026, 4, 1) + day * DAY_MS).toISOString();

const entry = (
  loan: TestLoan,
  key: string,
  code: JournalEntryDraft['code'],
  day: number,
  lines: JournalLine[],
): JournalEntryDraft => ({
  idempotencyKey: `${key}:${loan.loanId}`,
  code,
  currency: loan.currency,
  effectiveAt: at(day),
  merchantId: loan.merchantId,
  loanId: loan.loanId,
  lines,
});

const debit = (account: JournalLine['account'], amountMinor: bigint): JournalLine => ({
  account,
  side: 'DEBIT',
  amountMinor,
});
const credit = (account: JournalLine['account'], amountMinor: bigint): JournalLine => ({
  account,
  side: 'CREDIT',
  amountMinor,
});

export const loanEntries = {
  drawdown: (loan: TestLoan, principal: bigint): JournalEntryDraft =>
    entry(loan, 'drawdown', 'DRAWDOWN_RESERVED', 0, [
      debit('LOANS_AWAITING_DISBURSEMENT', principal),
      credit('DISBURSEMENTS_PAYABLE', principal),
    ]),
  settled: (loan: TestLoan, principal: bigint): JournalEntryDraft =>
    entry(loan, 'disbursement-settled', 'DISBURSEMENT_SETTLED', 0, [
      debit('LOANS_RECEIVABLE', principal),
      credit('LOANS_AWAITING_DISBURSEMENT', principal),
      debit('DISBURSEMENTS_PAYABLE', principal),
      credit('TREASURY_CLEARING', principal),
    ]),
  failed: (loan: TestLoan, principal: bigint): JournalEntryDraft =>
    entry(loan, 'disbursement-failed', 'DISBURSEMENT_FAILED', 0, [
      debit('DISBURSEMENTS_PAYABLE', principal),
      credit('LOANS_AWAITING_DISBURSEMENT', principal),
    ]),
  accrual: (loan: TestLoan, day: number, interest: bigint): JournalEntryDraft =>
    entry(loan, `accrual-day-${day}`, 'INTEREST_ACCRUED', day, [
      debit('INTEREST_RECEIVABLE', interest),
      credit('INTEREST_INCOME', interest),
    ]),
  holdback: (loan: TestLoan, day: number, interest: bigint, principal: bigint): JournalEntryDraft =>
    entry(loan, `holdback-day-${day}`, 'REPAYMENT_HOLDBACK', day, [
      debit('SETTLEMENT_HOLDBACKS_RECEIVABLE', interest + principal),
      credit('INTEREST_RECEIVABLE', interest),
      credit('LOANS_RECEIVABLE', principal),
    ]),
  manualRepayment: (loan: TestLoan, day: number, interest: bigint, principal: bigint): JournalEntryDraft =>
    entry(loan, `manual-day-${day}`, 'REPAYMENT_MANUAL', day, [
      debit('TREASURY_CLEARING', interest + principal),
      credit('INTEREST_RECEIVABLE', interest),
      credit('LOANS_RECEIVABLE', principal),
    ]),
  writeOff: (loan: TestLoan, day: number, interest: bigint, principal: bigint): JournalEntryDraft =>
    entry(loan, 'write-off', 'LOAN_WRITTEN_OFF', day, [
      debit('WRITE_OFF_EXPENSE', interest + principal),
      credit('LOANS_RECEIVABLE', principal),
      credit('INTEREST_RECEIVABLE', interest),
    ]),
};

/**
 * A small book: a loan drawn, paid out, accruing, part-repaid by a holdback and by hand; a
 * loan whose payout failed; a loan written off; one in USD. Balances it leaves, per loan:
 * repaid: principal 10 000 − 3 000 − 2 000 = 5 000, interest 3 × 50 − 100 − 20 = 30;
 * failed: 0 and 0; written off: 0 and 0; usd: principal 700 awaiting disbursement.
 */
export function sampleBook(): {
  drafts: JournalEntryDraft[];
  loans: Record<'repaid' | 'failed' | 'writtenOff' | 'usd', TestLoan>;
} {
  const loans = {
    repaid: newTestLoan('CNY'),
    failed: newTestLoan('CNY'),
    writtenOff: newTestLoan('CNY'),
    usd: newTestLoan('USD'),
  };
  const drafts = [
    loanEntries.drawdown(loans.repaid, 10_000n),
    loanEntries.settled(loans.repaid, 10_000n),
    loanEntries.accrual(loans.repaid, 1, 50n),
    loanEntries.accrual(loans.repaid, 2, 50n),
    loanEntries.accrual(loans.repaid, 3, 50n),
    loanEntries.holdback(loans.repaid, 3, 100n, 3_000n),
    loanEntries.manualRepayment(loans.repaid, 4, 20n, 2_000n),
    loanEntries.drawdown(loans.failed, 4_000n),
    loanEntries.failed(loans.failed, 4_000n),
    loanEntries.drawdown(loans.writtenOff, 1_000n),
    loanEntries.settled(loans.writtenOff, 1_000n),
    loanEntries.accrual(loans.writtenOff, 1, 7n),
    loanEntries.writeOff(loans.writtenOff, 95, 7n, 1_000n),
    loanEntries.drawdown(loans.usd, 700n),
  ];
  return { drafts, loans };
}
