import { assertBalanced } from '@lendstream/ledger';
import { DelinquencyBucket } from './delinquency';
import { LENDING_POLICY_V1 } from './lending-policy';
import { Loan } from './loan';
import { reviewLoan, writeOffLoan } from './loan-review';
import { repayLoan } from './repayment';
import { activeLoanFixture, expectOk, expectRefusal, pendingLoanFixture } from './testing/loan-fixture';
import { parseAsContract } from './testing/wire';

// Disbursed 2026-11-11, due 2026-12-11T23:59:59.999Z; 10 000 yuan at 200 fen a day.
const reviewed = (loan: Loan, now: string, policy = LENDING_POLICY_V1) =>
  expectOk(reviewLoan(loan, now, policy));

describe('reviewLoan: overdue', () => {
  it.each<[string, string, DelinquencyBucket, number | null]>([
    ['on the due day', '2026-12-11T23:00:00.000Z', 'CURRENT', null],
    ['the day after the due day', '2026-12-12T00:00:00.000Z', 'DPD_1_30', 1],
    ['30 days past due', '2027-01-10T08:00:00.000Z', 'DPD_1_30', 30],
    ['31 days past due', '2027-01-11T08:00:00.000Z', 'DPD_31_60', 31],
    ['61 days past due', '2027-02-10T08:00:00.000Z', 'DPD_61_90', 61],
    ['89 days past due', '2027-03-10T08:00:00.000Z', 'DPD_61_90', 89],
  ])('first seen %s: reports %s once', (_case, now, bucket, days) => {
    const outcome = reviewed(activeLoanFixture(), now);
    expect(outcome.loan.overdueBucketReported).toBe(bucket);
    expect(outcome.loan.status).toBe('ACTIVE');
    if (days === null) {
      expect(outcome.events).toEqual([]);
      return;
    }
    expect(outcome.events.map((event) => event.type)).toEqual(['loan.overdue']);
    expect(parseAsContract(outcome.events[0]!)).toMatchObject({
      daysPastDue: days,
      outstandingPrincipalMinor: 1_000_000n,
    });
  });

  it('sends loan.overdue once per bucket entered, day after day', () => {
    let loan = activeLoanFixture();
    const sent: [string, number][] = [];
    for (let day = 0; day < 89; day += 1) {
      const now = new Date(Date.UTC(2026, 11, 12 + day, 6)).toISOString();
      const outcome = reviewed(loan, now);
      loan = outcome.loan;
      for (const event of outcome.events)
        sent.push([event.type, (event.data as { daysPastDue: number }).daysPastDue]);
    }
    expect(sent).toEqual([
      ['loan.overdue', 1],
      ['loan.overdue', 31],
      ['loan.overdue', 61],
    ]);
  });

  it('is idempotent: the same review twice sends and posts nothing the second time', () => {
    const first = reviewed(activeLoanFixture(), '2026-12-15T00:00:00.000Z');
    const second = reviewed(first.loan, '2026-12-15T00:00:00.000Z');
    expect(second.events).toEqual([]);
    expect(second.journal).toEqual([]);
    expect(second.loan).toEqual(first.loan);
  });

  it('posts the interest that is due on the way', () => {
    const outcome = reviewed(activeLoanFixture(), '2026-11-14T00:00:00.000Z');
    expect(outcome.journal.map((entry) => entry.idempotencyKey)).toEqual([
      'accrual:loan-1:2026-11-11',
      'accrual:loan-1:2026-11-12',
      'accrual:loan-1:2026-11-13',
    ]);
  });

  it('a partial repayment does not cure a late loan: it stays overdue until repaid in full', () => {
    const late = reviewed(activeLoanFixture(), '2026-12-20T00:00:00.000Z').loan;
    const partly = expectOk(
      repayLoan(
        late,
        {
          repaymentId: 'rp-1',
          amountMinor: 900_000n,
          currency: 'CNY',
          source: 'MANUAL',
          settlementId: null,
          collectedAt: '2026-12-20T01:00:00.000Z',
        },
        LENDING_POLICY_V1,
      ),
    ).loan;
    const later = reviewed(partly, '2027-01-12T00:00:00.000Z');
    expect(later.events.map((event) => event.type)).toEqual(['loan.overdue']);
    expect(later.loan.overdueBucketReported).toBe('DPD_31_60');
  });

  it('with a later write-off, a loan enters DPD_90_PLUS at 91 days', () => {
    const policy = { ...LENDING_POLICY_V1, writeOffDaysPastDue: 120 };
    const at90 = reviewed(activeLoanFixture(), '2027-03-11T00:00:00.000Z', policy);
    expect(at90.loan.overdueBucketReported).toBe('DPD_61_90');
    const at91 = reviewed(at90.loan, '2027-03-12T00:00:00.000Z', policy);
    expect(at91.loan.overdueBucketReported).toBe('DPD_90_PLUS');
    expect(at91.events.map((event) => event.type)).toEqual(['loan.overdue']);
  });

  it('refuses a loan that is not active', () => {
    expect(
      expectRefusal(reviewLoan(pendingLoanFixture(), '2027-01-01T00:00:00.000Z', LENDING_POLICY_V1)),
    ).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      command: 'review',
    });
  });
});

describe('write-off', () => {
  it('writes off at 90 days past due: principal and interest become a loss, the line lets go of the principal', () => {
    const outcome = reviewed(activeLoanFixture(), '2027-03-11T00:00:00.000Z');
    expect(outcome.loan).toMatchObject({
      status: 'WRITTEN_OFF',
      closedAt: '2027-03-11T00:00:00.000Z',
      principalOutstandingMinor: 0n,
      principalWrittenOffMinor: 1_000_000n,
      interestOutstandingMinor: 0n,
      // Interest ran 2026-11-11 .. 2027-03-10: 120 days at 200 fen.
      interestWrittenOffMinor: 24_000n,
      interestAccruedMinor: 24_000n,
    });
    expect(outcome.journal.at(-1)).toMatchObject({
      idempotencyKey: 'write-off:loan-1',
      code: 'LOAN_WRITTEN_OFF',
      lines: [
        { account: 'WRITE_OFF_EXPENSE', side: 'DEBIT', amountMinor: 1_024_000n },
        { account: 'LOANS_RECEIVABLE', side: 'CREDIT', amountMinor: 1_000_000n },
        { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amountMinor: 24_000n },
      ],
    });
    outcome.journal.forEach(assertBalanced);
    expect(outcome.lineChange).toEqual({
      creditLineId: 'cl-1',
      reservedDeltaMinor: 0n,
      outstandingDeltaMinor: -1_000_000n,
    });
    expect(outcome.events.map((event) => event.type)).toEqual(['loan.written-off']);
    // The event says what was lost: the merchant still owes it; the books no longer count it.
    expect(parseAsContract(outcome.events[0]!)).toEqual({
      merchantId: 'm-000042',
      loanId: 'loan-1',
      principalMinor: 1_000_000n,
      outstandingPrincipalMinor: 1_000_000n,
      accruedInterestMinor: 24_000n,
      currency: 'CNY',
      dueAt: '2026-12-11T23:59:59.999Z',
      daysPastDue: 90,
    });
  });

  it('a late write-off job charges no extra interest', () => {
    const onTime = reviewed(activeLoanFixture(), '2027-03-11T00:00:00.000Z');
    const late = reviewed(activeLoanFixture(), '2027-04-30T00:00:00.000Z');
    expect(late.loan.interestWrittenOffMinor).toBe(onTime.loan.interestWrittenOffMinor);
    expect(late.journal.map((entry) => entry.idempotencyKey)).toEqual(
      onTime.journal.map((entry) => entry.idempotencyKey),
    );
  });

  it('writes off only what is still owed after repayments', () => {
    const partly = expectOk(
      repayLoan(
        activeLoanFixture(),
        {
          repaymentId: 'rp-1',
          amountMinor: 400_000n,
          currency: 'CNY',
          source: 'MANUAL',
          settlementId: null,
          collectedAt: '2026-11-12T00:00:00.000Z',
        },
        LENDING_POLICY_V1,
      ),
    ).loan;
    const outcome = expectOk(writeOffLoan(partly, '2027-03-11T00:00:00.000Z', LENDING_POLICY_V1));
    expect(outcome.loan.principalWrittenOffMinor).toBe(600_200n); // 400 000 paid 200 of interest first
    expect(outcome.lineChange.outstandingDeltaMinor).toBe(-600_200n);
  });

  it.each<[string, string, string | null]>([
    ['89 days past due', '2027-03-10T23:59:59.999Z', 'WRITE_OFF_NOT_DUE'],
    ['90 days past due', '2027-03-11T00:00:00.000Z', null],
  ])('writeOffLoan at %s', (_case, now, code) => {
    const written = writeOffLoan(activeLoanFixture(), now, LENDING_POLICY_V1);
    expect(written.ok ? null : written.error.code).toBe(code);
  });

  it('says when a loan will be written off', () => {
    expect(
      expectRefusal(writeOffLoan(activeLoanFixture(), '2027-01-01T00:00:00.000Z', LENDING_POLICY_V1)).message,
    ).toBe('loan loan-1 is 21 days past due; it is written off at 90');
  });

  it('refuses to write off a loan twice', () => {
    const once = reviewed(activeLoanFixture(), '2027-03-11T00:00:00.000Z').loan;
    expect(expectRefusal(writeOffLoan(once, '2027-03-12T00:00:00.000Z', LENDING_POLICY_V1))).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      status: 'WRITTEN_OFF',
    });
  });
});
