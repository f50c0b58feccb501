import { LENDING_POLICY_V1 } from './lending-policy';
import { loanStatement } from './loan-statement';
import { repayLoan } from './repayment';
import { activeLoanFixture, expectOk, pendingLoanFixture } from './testing/loan-fixture';

describe('loanStatement', () => {
  it('shows what repays the loan today and on its due day, without posting anything', () => {
    const loan = activeLoanFixture(); // 10 000 yuan, 200 fen a day, due 2026-12-11
    expect(loanStatement(loan, '2026-11-16T10:00:00.000Z', LENDING_POLICY_V1)).toEqual({
      loanId: 'loan-1',
      dueAt: '2026-12-11T23:59:59.999Z',
      daysPastDue: 0,
      bucket: 'CURRENT',
      interestUnpostedMinor: 1_000n, // 11–15 November
      payoffTodayMinor: 1_001_000n,
      payoffOnDueDayMinor: 1_006_000n, // 30 days of interest: 11 November – 10 December
    });
  });

  it('the due-day payoff matches what repaying on the due day actually costs', () => {
    const loan = activeLoanFixture({ principalMinor: 12_345n, dailyRateBps: 3 });
    const statement = loanStatement(loan, '2026-11-20T10:00:00.000Z', LENDING_POLICY_V1);
    const owedOnDueDay = loanStatement(loan, '2026-12-11T10:00:00.000Z', LENDING_POLICY_V1).payoffTodayMinor;
    expect(statement.payoffOnDueDayMinor).toBe(owedOnDueDay);
    const repaid = expectOk(
      repayLoan(
        loan,
        {
          repaymentId: 'rp-1',
          amountMinor: owedOnDueDay,
          currency: 'CNY',
          source: 'MANUAL',
          settlementId: null,
          collectedAt: '2026-12-11T10:00:00.000Z',
        },
        LENDING_POLICY_V1,
      ),
    );
    expect(repaid.loan.status).toBe('REPAID');
  });

  it('past the due day: no due-day payoff, and the days past due', () => {
    const statement = loanStatement(activeLoanFixture(), '2026-12-20T00:00:00.000Z', LENDING_POLICY_V1);
    expect(statement).toMatchObject({ daysPastDue: 9, bucket: 'DPD_1_30', payoffOnDueDayMinor: null });
  });

  it('a closed loan shows how late it was when it closed', () => {
    const repaidLate = expectOk(
      repayLoan(
        activeLoanFixture({ principalMinor: 100n, dailyRateBps: 0 }),
        {
          repaymentId: 'rp-1',
          amountMinor: 100n,
          currency: 'CNY',
          source: 'MANUAL',
          settlementId: null,
          collectedAt: '2026-12-15T00:00:00.000Z',
        },
        LENDING_POLICY_V1,
      ),
    ).loan;
    expect(loanStatement(repaidLate, '2027-05-01T00:00:00.000Z', LENDING_POLICY_V1)).toMatchObject({
      daysPastDue: 4,
      payoffTodayMinor: 0n,
      payoffOnDueDayMinor: null,
    });
  });

  it('has nothing to say about a loan not paid out yet', () => {
    expect(() => loanStatement(pendingLoanFixture(), '2026-11-12T00:00:00.000Z', LENDING_POLICY_V1)).toThrow(
      'is not disbursed',
    );
  });
});
