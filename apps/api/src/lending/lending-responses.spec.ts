import { type LendingLine, LENDING_POLICY_V1, type RepaymentRecord, repayLoan } from '@lendstream/lending';
import { activeLoanFixture, pendingLoanFixture } from '../../../../libs/lending/src/testing/loan-fixture';
import {
  drawdownResponse,
  DrawdownViewSchema,
  lineAfterDrawdown,
  lineAuditState,
} from './drawdown-responses';
import { repaymentKeyOf } from './repayment-key';
import { loanAuditState, RepaymentOutcomeViewSchema, repaymentResponse } from './repayment-responses';

const policy = LENDING_POLICY_V1;

describe('drawdownResponse', () => {
  const loan = pendingLoanFixture({ principalMinor: 150_000n });

  it.each(['created', 'replayed'] as const)('%s → 201 with the loan, money as strings', (kind) => {
    const response = drawdownResponse({ kind, loan });
    expect(response).toEqual({
      status: 201,
      body: {
        loanId: 'loan-1',
        disbursementId: 'disb-loan-1',
        status: 'PENDING_DISBURSEMENT',
        merchantId: 'm-000042',
        creditLineId: 'cl-1',
        principalMinor: '150000',
        currency: 'CNY',
        termDays: 30,
        dailyRateBps: 2,
        requestedAt: '2026-11-11T09:30:00.000Z',
      },
    });
    expect(DrawdownViewSchema.parse(response.body)).toEqual(response.body);
  });

  it('a business refusal → 422 with the lending code and message', () => {
    expect(
      drawdownResponse({
        kind: 'refused',
        refusal: { code: 'AMOUNT_EXCEEDS_AVAILABLE', message: 'only 100 available' },
      }),
    ).toEqual({
      status: 422,
      body: { error: { code: 'AMOUNT_EXCEEDS_AVAILABLE', message: 'only 100 available' } },
    });
  });

  it('a requestId that made another loan → 409 REQUEST_ID_REUSED', () => {
    expect(
      drawdownResponse({
        kind: 'conflict',
        refusal: { code: 'REQUEST_ID_REUSED', loanId: 'loan-0', message: 'already made loan-0' },
      }),
    ).toEqual({
      status: 409,
      body: { error: { code: 'REQUEST_ID_REUSED', message: 'already made loan-0' } },
    });
  });
});

describe('repaymentResponse', () => {
  const loan = activeLoanFixture({ principalMinor: 1_000_000n });
  const collectedAt = '2026-11-14T12:00:00.000Z';

  it('a repayment → 201: how it was applied (interest first) and the loan after it', () => {
    const outcome = repayLoan(
      loan,
      {
        repaymentId: 'r-1',
        amountMinor: 100_600n,
        currency: 'CNY',
        source: 'MANUAL',
        settlementId: null,
        collectedAt,
      },
      policy,
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    const record: RepaymentRecord = {
      repaymentId: 'r-1',
      loanId: loan.loanId,
      merchantId: loan.merchantId,
      source: 'MANUAL',
      settlementId: null,
      amountMinor: 100_600n,
      principalMinor: 100_000n,
      interestMinor: 600n,
      currency: 'CNY',
      collectedAt,
    };
    const response = repaymentResponse(
      { kind: 'repaid', loan: outcome.value.loan, repayment: record },
      collectedAt,
      policy,
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      repayment: { amountMinor: '100600', principalMinor: '100000', interestMinor: '600', source: 'MANUAL' },
      loan: {
        status: 'ACTIVE',
        outstandingPrincipalMinor: '900000',
        accruedInterestMinor: '0',
        interest: { postedMinor: '600', repaidMinor: '600' },
        principal: { repaidMinor: '100000' },
      },
    });
    expect(RepaymentOutcomeViewSchema.parse(response.body)).toEqual(response.body);
  });

  it.each<[string, number]>([
    ['LOAN_NOT_FOUND', 404],
    ['REPAYMENT_KEY_REUSED', 409],
    ['AMOUNT_EXCEEDS_DUE', 422],
    ['CURRENCY_MISMATCH', 422],
    ['ILLEGAL_TRANSITION', 422],
    ['AMOUNT_NOT_POSITIVE', 422],
  ])('%s → %i with the code and message', (code, status) => {
    const refusal = { code, message: `refused: ${code}` } as never;
    expect(repaymentResponse({ kind: 'refused', refusal }, collectedAt, policy)).toEqual({
      status,
      body: { error: { code, message: `refused: ${code}` } },
    });
  });
});

describe('the audit states', () => {
  it('a line: its amounts as strings, available as lending computes it', () => {
    const line: LendingLine = {
      merchantId: 'm-1',
      position: {
        creditLineId: 'cl-1',
        status: 'ACTIVE',
        limitMinor: 1_000n,
        reservedMinor: 300n,
        outstandingMinor: 200n,
      },
      view: {
        creditLineId: 'cl-1',
        merchantId: 'm-1',
        status: 'ACTIVE',
        currency: 'CNY',
        limitMinor: 1_000n,
        availableMinor: 500n,
        dailyRateBps: 2,
      },
    };
    expect(lineAuditState(line)).toEqual({
      creditLineId: 'cl-1',
      status: 'ACTIVE',
      currency: 'CNY',
      limitMinor: '1000',
      availableMinor: '500',
      reservedMinor: '300',
      outstandingMinor: '200',
    });
    expect(lineAuditState(null)).toBeNull();
  });

  it('a line after a drawdown: the principal reserved, available down by as much', () => {
    const line: LendingLine = {
      merchantId: 'm-000042',
      position: {
        creditLineId: 'cl-1',
        status: 'ACTIVE',
        limitMinor: 1_000n,
        reservedMinor: 100n,
        outstandingMinor: 200n,
      },
      view: {
        creditLineId: 'cl-1',
        merchantId: 'm-000042',
        status: 'ACTIVE',
        currency: 'CNY',
        limitMinor: 1_000n,
        availableMinor: 700n,
        dailyRateBps: 2,
      },
    };
    expect(lineAfterDrawdown(line, pendingLoanFixture({ principalMinor: 300n }))).toEqual({
      creditLineId: 'cl-1',
      status: 'ACTIVE',
      currency: 'CNY',
      limitMinor: '1000',
      availableMinor: '400',
      reservedMinor: '400',
      outstandingMinor: '200',
    });
  });

  it('a loan: what it owes and has repaid', () => {
    expect(loanAuditState(activeLoanFixture({ principalMinor: 5_000n }))).toEqual({
      loanId: 'loan-1',
      status: 'ACTIVE',
      currency: 'CNY',
      outstandingPrincipalMinor: '5000',
      accruedInterestMinor: '0',
      principalRepaidMinor: '0',
      interestRepaidMinor: '0',
    });
  });
});

describe('repaymentKeyOf', () => {
  it('is stable, scoped by the caller, and fits lending’s 255 characters whatever the key', () => {
    expect(repaymentKeyOf('alice', 'k-1')).toBe(repaymentKeyOf('alice', 'k-1'));
    expect(repaymentKeyOf('alice', 'k-1')).not.toBe(repaymentKeyOf('bob', 'k-1'));
    // The parts cannot run into each other: ("a|b", "c") and ("a", "b|c") differ.
    expect(repaymentKeyOf('a|b', 'c')).not.toBe(repaymentKeyOf('a', 'b|c'));
    expect(repaymentKeyOf('s'.repeat(255), 'k'.repeat(255))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
