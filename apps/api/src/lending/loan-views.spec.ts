import { LENDING_POLICY_V1, loanStatement, type RepaymentRecord } from '@lendstream/lending';
import { activeLoanFixture, pendingLoanFixture } from '../../../../libs/lending/src/testing/loan-fixture';
import { LoanDetailViewSchema, LoanItemViewSchema } from './loan-view-schemas';
import { loanDetailView, loanItemView } from './loan-views';

const policy = LENDING_POLICY_V1;

describe('loanItemView', () => {
  it('gives a pending loan without a schedule or days past due, money as strings', () => {
    const loan = pendingLoanFixture({ principalMinor: 9_007_199_254_740_993n });
    const view = loanItemView({ loan, statement: null });
    expect(view).toMatchObject({
      loanId: 'loan-1',
      status: 'PENDING_DISBURSEMENT',
      principalMinor: '9007199254740993',
      outstandingPrincipalMinor: '0',
      accruedInterestMinor: '0',
      interest: { postedMinor: '0', unpostedMinor: '0' },
      daysPastDue: null,
      delinquencyBucket: null,
      schedule: null,
      disbursedAt: null,
    });
    expect(LoanItemViewSchema.parse(view)).toEqual(view);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('gives an active loan its schedule: payoff today and on the due day, interest not yet posted', () => {
    // 10 000 yuan at 2 bps a day is 200 fen a day; paid out on 11 November, due 11 December.
    const loan = activeLoanFixture({ principalMinor: 1_000_000n });
    const now = '2026-11-14T12:00:00.000Z';
    const view = loanItemView({ loan, statement: loanStatement(loan, now, policy) });
    expect(view).toMatchObject({
      status: 'ACTIVE',
      outstandingPrincipalMinor: '1000000',
      accruedInterestMinor: '0',
      interest: { postedMinor: '0', unpostedMinor: '600' },
      daysPastDue: 0,
      delinquencyBucket: 'CURRENT',
      schedule: {
        disbursedAt: '2026-11-11T09:31:00.000Z',
        dueAt: '2026-12-11T23:59:59.999Z',
        termDays: 30,
        dailyRateBps: 2,
        lastAccruedDay: '2026-11-10',
        payoffTodayMinor: '1000600',
        payoffOnDueDayMinor: '1006000',
      },
    });
    expect(LoanItemViewSchema.parse(view)).toEqual(view);
  });

  it('counts days past due after the due day, and no payoff on a due day that has passed', () => {
    const loan = activeLoanFixture({ principalMinor: 1_000_000n });
    const view = loanItemView({ loan, statement: loanStatement(loan, '2026-12-20T00:00:00.000Z', policy) });
    expect(view).toMatchObject({
      daysPastDue: 9,
      delinquencyBucket: 'DPD_1_30',
      schedule: { payoffOnDueDayMinor: null },
    });
  });
});

describe('loanDetailView', () => {
  it('adds the instant and the repayments, oldest first as given', () => {
    const loan = activeLoanFixture();
    const repayment: RepaymentRecord = {
      repaymentId: 'r-1',
      loanId: loan.loanId,
      merchantId: loan.merchantId,
      source: 'SETTLEMENT_HOLDBACK',
      settlementId: 's-1',
      amountMinor: 1_300n,
      principalMinor: 1_000n,
      interestMinor: 300n,
      currency: 'CNY',
      collectedAt: '2026-11-20T10:00:00.000Z',
    };
    const asOf = '2026-11-21T00:00:00.000Z';
    const view = loanDetailView(
      { loan, statement: loanStatement(loan, asOf, policy), repayments: [repayment] },
      asOf,
    );
    expect(view.asOf).toBe(asOf);
    expect(view.repayments).toEqual([
      {
        repaymentId: 'r-1',
        loanId: loan.loanId,
        source: 'SETTLEMENT_HOLDBACK',
        settlementId: 's-1',
        amountMinor: '1300',
        principalMinor: '1000',
        interestMinor: '300',
        currency: 'CNY',
        collectedAt: '2026-11-20T10:00:00.000Z',
      },
    ]);
    expect(LoanDetailViewSchema.parse(view)).toEqual(view);
  });
});
