import { assertBalanced } from '@lendstream/ledger';
import {
  interestAccruedEntry,
  journalKeys,
  loanLedgerBalances,
  repaymentEntry,
  writeOffEntry,
} from './loan-journal';
import { activeLoanFixture, pendingLoanFixture } from './testing/loan-fixture';

describe('the posting rules', () => {
  it('derives every idempotency key from a business key', () => {
    expect([
      journalKeys.drawdownReserved('d-1'),
      journalKeys.disbursementSettled('d-1'),
      journalKeys.disbursementFailed('d-1'),
      journalKeys.interestAccrued('l-1', '2026-11-11'),
      journalKeys.holdback('st-1', 'l-1'),
      journalKeys.manualRepayment('rp-1'),
      journalKeys.writeOff('l-1'),
    ]).toEqual([
      'drawdown-reserved:d-1',
      'disbursement-settled:d-1',
      'disbursement-failed:d-1',
      'accrual:l-1:2026-11-11',
      'holdback:st-1:l-1',
      'manual-repayment:rp-1',
      'write-off:l-1',
    ]);
  });

  it('posts nothing for an amount of zero', () => {
    const loan = activeLoanFixture();
    expect(interestAccruedEntry(loan, '2026-11-11', 0n)).toBeNull();
    expect(
      repaymentEntry(loan, {
        repaymentId: 'rp-1',
        source: 'MANUAL',
        settlementId: null,
        interestMinor: 0n,
        principalMinor: 0n,
        collectedAt: '2026-11-12T00:00:00.000Z',
      }),
    ).toBeNull();
    expect(
      writeOffEntry(loan, { principalMinor: 0n, interestMinor: 0n }, '2027-03-11T00:00:00.000Z'),
    ).toBeNull();
  });

  it('drops the zero line of a write-off with no interest, and stays balanced', () => {
    const draft = writeOffEntry(
      activeLoanFixture(),
      { principalMinor: 10n, interestMinor: 0n },
      '2027-03-11T00:00:00.000Z',
    );
    expect(draft!.lines).toEqual([
      { account: 'WRITE_OFF_EXPENSE', side: 'DEBIT', amountMinor: 10n },
      { account: 'LOANS_RECEIVABLE', side: 'CREDIT', amountMinor: 10n },
    ]);
    expect(() => assertBalanced(draft!)).not.toThrow();
  });

  it.each([
    [
      'awaiting disbursement',
      pendingLoanFixture(),
      { LOANS_AWAITING_DISBURSEMENT: 1_000_000n, DISBURSEMENTS_PAYABLE: 1_000_000n, LOANS_RECEIVABLE: 0n },
    ],
    [
      'active',
      activeLoanFixture(),
      { LOANS_AWAITING_DISBURSEMENT: 0n, DISBURSEMENTS_PAYABLE: 0n, LOANS_RECEIVABLE: 1_000_000n },
    ],
  ])('says which balances a loan %s leaves on its own accounts', (_case, loan, expected) => {
    expect(loanLedgerBalances(loan)).toMatchObject({
      ...expected,
      INTEREST_RECEIVABLE: 0n,
      INTEREST_INCOME: 0n,
      WRITE_OFF_EXPENSE: 0n,
    });
  });
});
