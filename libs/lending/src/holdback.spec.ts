import { assertBalanced } from '@lendstream/ledger';
import { collectHoldback, SettlementHoldbackCommand } from './holdback';
import { LENDING_POLICY_V1 } from './lending-policy';
import { Loan } from './loan';
import { repayLoan } from './repayment';
import { activeLoanFixture, expectOk, expectRefusal, pendingLoanFixture } from './testing/loan-fixture';

// Both disbursed 2026-11-11. By 2026-11-16 five days are due: 1 000 fen on the older, 500 on the newer.
const older = () => activeLoanFixture({ loanId: 'loan-old', principalMinor: 1_000_000n, termDays: 30 });
const newer = () => activeLoanFixture({ loanId: 'loan-new', principalMinor: 500_000n, termDays: 60 });
const COLLECTED_AT = '2026-11-16T10:00:00.000Z';

const settlement = (settledAmountMinor: bigint, overrides: Partial<SettlementHoldbackCommand> = {}) => ({
  merchantId: 'm-000042',
  settlementId: 'st-1',
  settledAmountMinor,
  currency: 'CNY',
  collectedAt: COLLECTED_AT,
  repaymentIdFor: (loanId: string) => `rp-st-1-${loanId}`,
  ...overrides,
});

describe('collectHoldback', () => {
  it('withholds 20 % of the settlement and pays the loan due first, interest first', () => {
    // 50 000 yuan settled: 10 000 yuan withheld, of 15 015 yuan owed.
    const outcome = expectOk(collectHoldback([newer(), older()], settlement(5_000_000n), LENDING_POLICY_V1));
    expect(outcome.totalDueMinor).toBe(1_501_500n);
    expect(outcome.holdbackMinor).toBe(1_000_000n);
    expect(outcome.events.map((event) => [event.type, event.data.loanId])).toEqual([
      ['repayment.collected', 'loan-old'],
    ]);
    expect(outcome.events[0]!.data).toMatchObject({
      repaymentId: 'rp-st-1-loan-old',
      amountMinor: 1_000_000n,
      interestMinor: 1_000n,
      principalMinor: 999_000n,
      source: 'SETTLEMENT_HOLDBACK',
      settlementId: 'st-1',
    });
    expect(outcome.lineChanges).toEqual([
      { creditLineId: 'cl-1', reservedDeltaMinor: 0n, outstandingDeltaMinor: -999_000n },
    ]);
    // Both loans' interest is brought up to date; only the older is paid.
    const byId = new Map(outcome.loans.map((loan) => [loan.loanId, loan]));
    expect(byId.get('loan-new')).toMatchObject({
      interestOutstandingMinor: 500n,
      principalOutstandingMinor: 500_000n,
    });
    expect(byId.get('loan-old')).toMatchObject({
      interestOutstandingMinor: 0n,
      principalOutstandingMinor: 1_000n,
    });
    const holdbackEntries = outcome.journal.filter((entry) => entry.code === 'REPAYMENT_HOLDBACK');
    expect(holdbackEntries.map((entry) => entry.idempotencyKey)).toEqual(['holdback:st-1:loan-old']);
    expect(outcome.journal.filter((entry) => entry.code === 'INTEREST_ACCRUED')).toHaveLength(10);
    outcome.journal.forEach(assertBalanced);
  });

  it('never takes more than is owed: a large settlement repays every loan and stops', () => {
    const outcome = expectOk(collectHoldback([older(), newer()], settlement(10_000_000n), LENDING_POLICY_V1));
    expect(outcome.holdbackMinor).toBe(1_501_500n);
    expect(outcome.events.map((event) => `${event.type} ${event.data.loanId}`)).toEqual([
      'repayment.collected loan-old',
      'loan.repaid loan-old',
      'repayment.collected loan-new',
      'loan.repaid loan-new',
    ]);
    expect(outcome.loans.map((loan) => loan.status)).toEqual(['REPAID', 'REPAID']);
    // One change per line: both loans' principal comes back to it.
    expect(outcome.lineChanges).toEqual([
      { creditLineId: 'cl-1', reservedDeltaMinor: 0n, outstandingDeltaMinor: -1_500_000n },
    ]);
  });

  it('the holdback is what the settlement system withholds: the sum of the repayments', () => {
    const outcome = expectOk(collectHoldback([older(), newer()], settlement(6_543_217n), LENDING_POLICY_V1));
    const collected = outcome.events
      .filter((event) => event.type === 'repayment.collected')
      .reduce((total, event) => total + (event.data as { amountMinor: bigint }).amountMinor, 0n);
    expect(outcome.holdbackMinor).toBe(1_308_643n); // floor(6 543 217 × 20 %)
    expect(collected).toBe(outcome.holdbackMinor);
  });

  it('leaves loans that are not active alone, and takes nothing when none is', () => {
    const pending = pendingLoanFixture({ loanId: 'loan-pending' });
    const repaid = expectOk(
      repayLoan(
        older(),
        {
          repaymentId: 'rp-0',
          amountMinor: 1_000_000n,
          currency: 'CNY',
          source: 'MANUAL',
          settlementId: null,
          collectedAt: '2026-11-11T12:00:00.000Z',
        },
        LENDING_POLICY_V1,
      ),
    ).loan;
    const outcome = expectOk(collectHoldback([pending, repaid], settlement(5_000_000n), LENDING_POLICY_V1));
    expect(outcome).toEqual({
      holdbackMinor: 0n,
      totalDueMinor: 0n,
      loans: [],
      journal: [],
      events: [],
      lineChanges: [],
    });
  });

  it('a settlement too small for a whole fen withholds nothing', () => {
    const outcome = expectOk(collectHoldback([older()], settlement(4n), LENDING_POLICY_V1));
    expect(outcome.holdbackMinor).toBe(0n);
    expect(outcome.events).toEqual([]);
    expect(outcome.lineChanges).toEqual([]);
  });

  it('with holdbacks switched off (share 0) nothing is withheld', () => {
    const outcome = expectOk(
      collectHoldback([older()], settlement(5_000_000n), { ...LENDING_POLICY_V1, holdbackShareBps: 0 }),
    );
    expect(outcome.holdbackMinor).toBe(0n);
  });

  it('refuses a settlement in another currency than the loans', () => {
    expect(
      expectRefusal(collectHoldback([older()], settlement(100n, { currency: 'USD' }), LENDING_POLICY_V1)),
    ).toEqual({
      code: 'CURRENCY_MISMATCH',
      message:
        'settlement st-1 is in USD but loan loan-old is in CNY; a merchant settles and borrows in one currency',
    });
  });

  it('treats another merchant’s loan as a bug', () => {
    const stranger: Loan = { ...older(), merchantId: 'm-other' };
    expect(() => collectHoldback([stranger], settlement(100n), LENDING_POLICY_V1)).toThrow(
      "is not merchant m-000042's",
    );
  });
});
