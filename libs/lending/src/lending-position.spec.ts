import { failDisbursement } from './disbursement';
import { LENDING_POLICY_V1 } from './lending-policy';
import { lendingPositionOf } from './lending-position';
import { reviewLoan } from './loan-review';
import { activeLoanFixture, expectOk, pendingLoanFixture } from './testing/loan-fixture';

describe('lendingPositionOf', () => {
  const pending = pendingLoanFixture({ loanId: 'loan-p', principalMinor: 300_000n });
  const active = activeLoanFixture({ loanId: 'loan-a', principalMinor: 1_000_000n }); // due 2026-12-11
  const cancelled = expectOk(
    failDisbursement(pendingLoanFixture({ loanId: 'loan-c' }), {
      reason: 'x',
      failedAt: '2026-11-12T00:00:00Z',
    }),
  ).loan;

  it.each<[string, string, boolean]>([
    ['before the due day', '2026-12-01T00:00:00.000Z', false],
    ['on the due day', '2026-12-11T23:59:59.999Z', false],
    ['a day past due', '2026-12-12T00:00:00.000Z', true],
  ])('sums reserved and outstanding, overdue %s: %s', (_case, now, overdue) => {
    expect(lendingPositionOf([pending, active, cancelled], now)).toEqual({
      outstandingMinor: 1_000_000n,
      reservedMinor: 300_000n,
      hasOverdueLoan: overdue,
    });
  });

  it('a written-off loan keeps the merchant overdue, but no longer counts as outstanding', () => {
    const writtenOff = expectOk(reviewLoan(active, '2027-03-11T00:00:00.000Z', LENDING_POLICY_V1)).loan;
    expect(lendingPositionOf([writtenOff], '2027-03-12T00:00:00.000Z')).toEqual({
      outstandingMinor: 0n,
      reservedMinor: 0n,
      hasOverdueLoan: true,
    });
  });

  it('no loans, no position', () => {
    expect(lendingPositionOf([], '2026-12-01T00:00:00.000Z')).toEqual({
      outstandingMinor: 0n,
      reservedMinor: 0n,
      hasOverdueLoan: false,
    });
  });
});
