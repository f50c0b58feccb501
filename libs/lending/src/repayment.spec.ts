import { assertBalanced } from '@lendstream/ledger';
import { LENDING_POLICY_V1 } from './lending-policy';
import { Loan } from './loan';
import { writeOffLoan } from './loan-review';
import { repayLoan, RepaymentCommand } from './repayment';
import { activeLoanFixture, expectOk, expectRefusal, pendingLoanFixture } from './testing/loan-fixture';
import { parseAsContract } from './testing/wire';

// Disbursed 2026-11-11, 10 000 yuan at 2 bps: 200 fen a day. On 2026-11-16, five days (11–15) are due: 1 000 fen.
const ON_NOV_16 = '2026-11-16T10:00:00.000Z';

const manual = (amountMinor: bigint, overrides: Partial<RepaymentCommand> = {}): RepaymentCommand => ({
  repaymentId: 'rp-1',
  amountMinor,
  currency: 'CNY',
  source: 'MANUAL',
  settlementId: null,
  collectedAt: ON_NOV_16,
  ...overrides,
});

describe('repayLoan', () => {
  it('brings interest up to date first, then pays interest before principal', () => {
    const outcome = expectOk(repayLoan(activeLoanFixture(), manual(1_500n), LENDING_POLICY_V1));
    expect(outcome.loan).toMatchObject({
      status: 'ACTIVE',
      lastAccruedDay: '2026-11-15',
      interestAccruedMinor: 1_000n,
      interestRepaidMinor: 1_000n,
      interestOutstandingMinor: 0n,
      principalRepaidMinor: 500n,
      principalOutstandingMinor: 999_500n,
    });
    expect(outcome.journal.map((entry) => entry.code)).toEqual([
      'INTEREST_ACCRUED',
      'INTEREST_ACCRUED',
      'INTEREST_ACCRUED',
      'INTEREST_ACCRUED',
      'INTEREST_ACCRUED',
      'REPAYMENT_MANUAL',
    ]);
    expect(outcome.journal[5]).toMatchObject({
      idempotencyKey: 'manual-repayment:rp-1',
      effectiveAt: ON_NOV_16,
      lines: [
        { account: 'TREASURY_CLEARING', side: 'DEBIT', amountMinor: 1_500n },
        { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amountMinor: 1_000n },
        { account: 'LOANS_RECEIVABLE', side: 'CREDIT', amountMinor: 500n },
      ],
    });
    outcome.journal.forEach(assertBalanced);
    // Only principal returns to the line (it revolves); interest never was on it.
    expect(outcome.lineChange).toEqual({
      creditLineId: 'cl-1',
      reservedDeltaMinor: 0n,
      outstandingDeltaMinor: -500n,
    });
    expect(outcome.events.map((event) => event.type)).toEqual(['repayment.collected']);
    expect(parseAsContract(outcome.events[0]!)).toEqual({
      merchantId: 'm-000042',
      repaymentId: 'rp-1',
      loanId: 'loan-1',
      amountMinor: 1_500n,
      principalMinor: 500n,
      interestMinor: 1_000n,
      currency: 'CNY',
      source: 'MANUAL',
    });
  });

  it('a repayment of interest only drops the zero principal line from the entry', () => {
    const outcome = expectOk(repayLoan(activeLoanFixture(), manual(600n), LENDING_POLICY_V1));
    expect(outcome.journal.at(-1)!.lines).toEqual([
      { account: 'TREASURY_CLEARING', side: 'DEBIT', amountMinor: 600n },
      { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amountMinor: 600n },
    ]);
    expect(outcome.lineChange.outstandingDeltaMinor).toBe(0n);
  });

  it.each<[string, bigint, string, bigint]>([
    ['one fen short of the whole: still active', 1_000_999n, 'ACTIVE', 1n],
    ['exactly what is owed: repaid', 1_001_000n, 'REPAID', 0n],
  ])('%s', (_case, amount, status, principalLeft) => {
    const outcome = expectOk(repayLoan(activeLoanFixture(), manual(amount), LENDING_POLICY_V1));
    expect(outcome.loan.status).toBe(status);
    expect(outcome.loan.principalOutstandingMinor).toBe(principalLeft);
  });

  it('a loan paid in full is REPAID: loan.repaid follows repayment.collected, and the line gets the principal back', () => {
    const outcome = expectOk(repayLoan(activeLoanFixture(), manual(1_001_000n), LENDING_POLICY_V1));
    expect(outcome.loan).toMatchObject({ status: 'REPAID', closedAt: ON_NOV_16 });
    expect(outcome.events.map((event) => event.type)).toEqual(['repayment.collected', 'loan.repaid']);
    expect(parseAsContract(outcome.events[1]!)).toMatchObject({
      outstandingPrincipalMinor: 0n,
      accruedInterestMinor: 0n,
      daysPastDue: 0,
    });
    expect(outcome.lineChange.outstandingDeltaMinor).toBe(-1_000_000n);
  });

  it('repaid the day it was paid out: no interest at all (the day never ends with principal out)', () => {
    const outcome = expectOk(
      repayLoan(
        activeLoanFixture(),
        manual(1_000_000n, { collectedAt: '2026-11-11T18:00:00.000Z' }),
        LENDING_POLICY_V1,
      ),
    );
    expect(outcome.loan.status).toBe('REPAID');
    expect(outcome.loan.interestAccruedMinor).toBe(0n);
  });

  it('a holdback repayment names its settlement and is keyed by it', () => {
    const outcome = expectOk(
      repayLoan(
        activeLoanFixture(),
        manual(1_500n, { source: 'SETTLEMENT_HOLDBACK', settlementId: 'st-7', repaymentId: 'rp-st-7' }),
        LENDING_POLICY_V1,
      ),
    );
    expect(outcome.journal.at(-1)).toMatchObject({
      idempotencyKey: 'holdback:st-7:loan-1',
      code: 'REPAYMENT_HOLDBACK',
      lines: [
        { account: 'SETTLEMENT_HOLDBACKS_RECEIVABLE', side: 'DEBIT', amountMinor: 1_500n },
        { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amountMinor: 1_000n },
        { account: 'LOANS_RECEIVABLE', side: 'CREDIT', amountMinor: 500n },
      ],
    });
    expect(parseAsContract(outcome.events[0]!)).toMatchObject({
      source: 'SETTLEMENT_HOLDBACK',
      settlementId: 'st-7',
    });
  });

  const writtenOff = (): Loan =>
    expectOk(writeOffLoan(activeLoanFixture(), '2027-03-11T00:00:00.000Z', LENDING_POLICY_V1)).loan;

  it.each<[string, () => Loan, RepaymentCommand, string]>([
    ['more than owed (refused, not capped)', activeLoanFixture, manual(1_001_001n), 'AMOUNT_EXCEEDS_DUE'],
    ['nothing', activeLoanFixture, manual(0n), 'AMOUNT_NOT_POSITIVE'],
    ['another currency', activeLoanFixture, manual(100n, { currency: 'USD' }), 'CURRENCY_MISMATCH'],
    ['a loan not paid out yet', () => pendingLoanFixture(), manual(100n), 'ILLEGAL_TRANSITION'],
    ['a written-off loan', writtenOff, manual(100n), 'ILLEGAL_TRANSITION'],
  ])('refuses %s', (_case, loan, command, code) => {
    expect(expectRefusal(repayLoan(loan(), command, LENDING_POLICY_V1)).code).toBe(code);
  });

  it('tells the payer exactly what is owed when it refuses too much', () => {
    expect(expectRefusal(repayLoan(activeLoanFixture(), manual(2_000_000n), LENDING_POLICY_V1)).message).toBe(
      'loan loan-1 owes 1001000 minor CNY (interest 1000, principal 1000000); repay at most that',
    );
  });

  it('refuses to repay a repaid loan', () => {
    const repaid = expectOk(repayLoan(activeLoanFixture(), manual(1_001_000n), LENDING_POLICY_V1)).loan;
    expect(expectRefusal(repayLoan(repaid, manual(1n), LENDING_POLICY_V1))).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      status: 'REPAID',
      command: 'repay',
    });
  });

  it('treats a holdback without its settlement, or a manual repayment with one, as a bug', () => {
    expect(() =>
      repayLoan(activeLoanFixture(), manual(1n, { source: 'SETTLEMENT_HOLDBACK' }), LENDING_POLICY_V1),
    ).toThrow('has no settlementId');
    expect(() =>
      repayLoan(activeLoanFixture(), manual(1n, { settlementId: 'st-1' }), LENDING_POLICY_V1),
    ).toThrow('names settlement st-1');
  });
});
