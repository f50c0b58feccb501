import { assertBalanced } from '@lendstream/ledger';
import { accrueInterest } from './accrual';
import { failDisbursement } from './disbursement';
import { LENDING_POLICY_V1 } from './lending-policy';
import {
  activeLoanFixture,
  DISBURSED_AT,
  expectOk,
  expectRefusal,
  pendingLoanFixture,
} from './testing/loan-fixture';

describe('accrueInterest', () => {
  it('posts nothing on the disbursement day: the day is not over', () => {
    const outcome = expectOk(
      accrueInterest(activeLoanFixture(), '2026-11-11T23:00:00.000Z', LENDING_POLICY_V1),
    );
    expect(outcome.journal).toEqual([]);
    expect(outcome.loan.lastAccruedDay).toBe('2026-11-10');
  });

  it('posts the disbursement day once it has ended, at the day’s last millisecond', () => {
    // 10 000 yuan at 2 bps a day: 2 yuan (200 fen) a day.
    const outcome = expectOk(
      accrueInterest(activeLoanFixture(), '2026-11-12T00:05:00.000Z', LENDING_POLICY_V1),
    );
    expect(outcome.journal).toEqual([
      {
        idempotencyKey: 'accrual:loan-1:2026-11-11',
        code: 'INTEREST_ACCRUED',
        currency: 'CNY',
        effectiveAt: '2026-11-11T23:59:59.999Z',
        merchantId: 'm-000042',
        loanId: 'loan-1',
        lines: [
          { account: 'INTEREST_RECEIVABLE', side: 'DEBIT', amountMinor: 200n },
          { account: 'INTEREST_INCOME', side: 'CREDIT', amountMinor: 200n },
        ],
      },
    ]);
    expect(outcome.loan).toMatchObject({
      lastAccruedDay: '2026-11-11',
      interestAccruedMinor: 200n,
      interestOutstandingMinor: 200n,
      interestCarryTenThousandths: 0n,
    });
    expect(outcome.lineChange).toEqual({
      creditLineId: 'cl-1',
      reservedDeltaMinor: 0n,
      outstandingDeltaMinor: 0n,
    });
    expect(outcome.events).toEqual([]);
  });

  it('catches up after downtime, one entry per day, oldest first', () => {
    const outcome = expectOk(
      accrueInterest(activeLoanFixture(), '2026-11-15T03:00:00.000Z', LENDING_POLICY_V1),
    );
    expect(outcome.journal.map((entry) => entry.idempotencyKey)).toEqual([
      'accrual:loan-1:2026-11-11',
      'accrual:loan-1:2026-11-12',
      'accrual:loan-1:2026-11-13',
      'accrual:loan-1:2026-11-14',
    ]);
    outcome.journal.forEach(assertBalanced);
    expect(outcome.loan.interestOutstandingMinor).toBe(800n);
  });

  it('is idempotent: run again at the same time it posts nothing and changes nothing', () => {
    const first = expectOk(
      accrueInterest(activeLoanFixture(), '2026-11-15T03:00:00.000Z', LENDING_POLICY_V1),
    );
    const second = expectOk(accrueInterest(first.loan, '2026-11-15T03:00:00.000Z', LENDING_POLICY_V1));
    expect(second.journal).toEqual([]);
    expect(second.loan).toEqual(first.loan);
  });

  it('run twice from the same stored state (a retried transaction), it drafts the same entries, so the keys dedupe them', () => {
    const loan = activeLoanFixture();
    const first = expectOk(accrueInterest(loan, '2026-11-15T03:00:00.000Z', LENDING_POLICY_V1));
    const again = expectOk(accrueInterest(loan, '2026-11-15T03:00:00.000Z', LENDING_POLICY_V1));
    expect(again).toEqual(first);
  });

  it('in steps or all at once, the same days post the same amounts', () => {
    const loan = activeLoanFixture({ principalMinor: 12_345n, dailyRateBps: 3 });
    const atOnce = expectOk(accrueInterest(loan, '2026-11-21T00:00:00.000Z', LENDING_POLICY_V1));
    let stepped = loan;
    const steppedJournal = [];
    for (let day = 12; day <= 21; day += 1) {
      const outcome = expectOk(
        accrueInterest(stepped, `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`, LENDING_POLICY_V1),
      );
      stepped = outcome.loan;
      steppedJournal.push(...outcome.journal);
    }
    expect(stepped).toEqual(atOnce.loan);
    expect(steppedJournal).toEqual(atOnce.journal);
  });

  it('skips the entry of a day that rounds to nothing, but still moves past the day', () => {
    // 1 000 fen at 1 bps: 0.1 fen a day; the first fen is posted on day 5 (0.5 rounds up).
    const loan = activeLoanFixture({ principalMinor: 1_000n, dailyRateBps: 1 });
    const outcome = expectOk(accrueInterest(loan, '2026-11-17T00:00:00.000Z', LENDING_POLICY_V1));
    expect(outcome.loan.lastAccruedDay).toBe('2026-11-16');
    expect(outcome.journal.map((entry) => entry.idempotencyKey)).toEqual(['accrual:loan-1:2026-11-15']);
    expect(outcome.loan.interestAccruedMinor).toBe(1n);
    expect(outcome.loan.interestCarryTenThousandths).toBe(-4_000n); // exact 0.6 fen, posted 1
  });

  it('accrues past the due date, until the day before the write-off day', () => {
    // Due 2026-12-11; written off at 90 days past due, on 2027-03-11: interest through 2027-03-10.
    const outcome = expectOk(
      accrueInterest(activeLoanFixture(), '2027-06-01T00:00:00.000Z', LENDING_POLICY_V1),
    );
    expect(outcome.loan.lastAccruedDay).toBe('2027-03-10');
    // 2026-11-11 .. 2027-03-10 is 120 days at 200 fen.
    expect(outcome.journal).toHaveLength(120);
    expect(outcome.loan.interestAccruedMinor).toBe(24_000n);
  });

  it.each([
    ['a loan awaiting disbursement', pendingLoanFixture()],
    [
      'a cancelled loan',
      expectOk(failDisbursement(pendingLoanFixture(), { reason: 'x', failedAt: DISBURSED_AT })).loan,
    ],
  ])('refuses %s', (_case, loan) => {
    expect(expectRefusal(accrueInterest(loan, '2026-11-20T00:00:00.000Z', LENDING_POLICY_V1))).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      command: 'accrue-interest',
    });
  });
});
