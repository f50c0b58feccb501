import { assertBalanced } from '@lendstream/ledger';
import { DisbursementRequestedData } from '@lendstream/contracts';
import { CreditLineView } from './credit-line-view';
import { assessDrawdown, drawDown, DrawdownCommand } from './draw-down';
import { LENDING_POLICY_V1 } from './lending-policy';
import { DrawdownRequest } from './request-fields';
import { expectOk, expectRefusal, lineFixture, REQUESTED_AT } from './testing/loan-fixture';

const request = (overrides: Partial<DrawdownRequest> = {}): DrawdownRequest => ({
  amountMinor: 500_000n,
  currency: 'CNY',
  termDays: 30,
  ...overrides,
});

describe('assessDrawdown', () => {
  it('lends the request on the line’s terms, at the line’s rate', () => {
    expect(
      expectOk(assessDrawdown(lineFixture({ dailyRateBps: 4 }), request(), 0, LENDING_POLICY_V1)),
    ).toEqual({
      creditLineId: 'cl-1',
      principalMinor: 500_000n,
      currency: 'CNY',
      dailyRateBps: 4,
      termDays: 30,
      policyVersion: 'v1',
    });
  });

  it.each<[string, string | null, CreditLineView | null, DrawdownRequest, number]>([
    ['no line', 'NO_CREDIT_LINE', null, request(), 0],
    ['a frozen line', 'LINE_NOT_ACTIVE', lineFixture({ status: 'FROZEN', availableMinor: 0n }), request(), 0],
    ['a closed line', 'LINE_NOT_ACTIVE', lineFixture({ status: 'CLOSED', availableMinor: 0n }), request(), 0],
    ['another currency', 'CURRENCY_MISMATCH', lineFixture(), request({ currency: 'USD' }), 0],
    [
      'a currency the policy does not lend in',
      'CURRENCY_NOT_SUPPORTED',
      lineFixture({ currency: 'JPY' }),
      request({ currency: 'JPY' }),
      0,
    ],
    ['a term below the minimum (6)', 'TERM_OUT_OF_RANGE', lineFixture(), request({ termDays: 6 }), 0],
    ['a term at the minimum (7)', null, lineFixture(), request({ termDays: 7 }), 0],
    ['a term at the maximum (180)', null, lineFixture(), request({ termDays: 180 }), 0],
    ['a term above the maximum (181)', 'TERM_OUT_OF_RANGE', lineFixture(), request({ termDays: 181 }), 0],
    [
      'an amount below the minimum (9 999 fen)',
      'AMOUNT_TOO_SMALL',
      lineFixture(),
      request({ amountMinor: 9_999n }),
      0,
    ],
    ['an amount at the minimum (10 000 fen)', null, lineFixture(), request({ amountMinor: 10_000n }), 0],
    [
      'the USD minimum (1 000 cents)',
      null,
      lineFixture({ currency: 'USD' }),
      request({ currency: 'USD', amountMinor: 1_000n }),
      0,
    ],
    [
      'below the USD minimum',
      'AMOUNT_TOO_SMALL',
      lineFixture({ currency: 'USD' }),
      request({ currency: 'USD', amountMinor: 999n }),
      0,
    ],
    ['one open loan short of the maximum', null, lineFixture(), request(), 19],
    ['the maximum of open loans', 'TOO_MANY_OPEN_LOANS', lineFixture(), request(), 20],
    ['exactly what is available', null, lineFixture(), request({ amountMinor: 2_000_000n }), 0],
    [
      'one fen more than available',
      'AMOUNT_EXCEEDS_AVAILABLE',
      lineFixture(),
      request({ amountMinor: 2_000_001n }),
      0,
    ],
    [
      'an active line with nothing available',
      'AMOUNT_EXCEEDS_AVAILABLE',
      lineFixture({ availableMinor: 0n }),
      request(),
      0,
    ],
  ])('%s → %s', (_case, code, line, drawdown, openLoans) => {
    const assessed = assessDrawdown(line, drawdown, openLoans, LENDING_POLICY_V1);
    expect(assessed.ok ? null : assessed.error.code).toBe(code);
  });

  it('checks in a stable order: the first rule that fails is the answer', () => {
    // Frozen, wrong currency, bad term and too much at once: the line's status is what to fix first.
    const assessed = assessDrawdown(
      lineFixture({ status: 'FROZEN', availableMinor: 0n }),
      request({ currency: 'USD', termDays: 1, amountMinor: 1n }),
      99,
      LENDING_POLICY_V1,
    );
    expect(expectRefusal(assessed).code).toBe('LINE_NOT_ACTIVE');
  });

  it.each<[string, CreditLineView | null, DrawdownRequest, string]>([
    ['no line', null, request(), 'this merchant has no credit line yet'],
    ['a frozen line', lineFixture({ status: 'FROZEN' }), request(), 'the credit line is FROZEN'],
    ['another currency', lineFixture(), request({ currency: 'USD' }), 'ask in CNY'],
    ['a short term', lineFixture(), request({ termDays: 3 }), 'choose a term between 7 and 180 days'],
    [
      'a small amount',
      lineFixture(),
      request({ amountMinor: 5n }),
      '5 minor CNY is below the smallest drawdown, 10000 minor CNY',
    ],
    ['too much', lineFixture(), request({ amountMinor: 3_000_000n }), 'ask for at most that'],
  ])('explains %s in words a person can act on', (_case, line, drawdown, message) => {
    expect(expectRefusal(assessDrawdown(line, drawdown, 0, LENDING_POLICY_V1)).message).toContain(message);
  });
});

describe('drawDown', () => {
  const command = (overrides: Partial<DrawdownCommand> = {}): DrawdownCommand => ({
    merchantId: 'm-000042',
    loanId: 'loan-1',
    disbursementId: 'disb-1',
    line: lineFixture(),
    openLoanCount: 0,
    request: request(),
    requestedAt: REQUESTED_AT,
    ...overrides,
  });

  it('opens a loan awaiting disbursement, reserves it on the line and asks treasury to pay', () => {
    const outcome = expectOk(drawDown(command(), LENDING_POLICY_V1));
    expect(outcome.loan).toMatchObject({
      loanId: 'loan-1',
      status: 'PENDING_DISBURSEMENT',
      principalMinor: 500_000n,
      principalOutstandingMinor: 0n,
      dailyRateBps: 2,
      termDays: 30,
      dueAt: null,
      disbursedAt: null,
      policyVersion: 'v1',
    });
    expect(outcome.lineChange).toEqual({
      creditLineId: 'cl-1',
      reservedDeltaMinor: 500_000n,
      outstandingDeltaMinor: 0n,
    });
    expect(outcome.journal).toEqual([
      {
        idempotencyKey: 'drawdown-reserved:disb-1',
        code: 'DRAWDOWN_RESERVED',
        currency: 'CNY',
        effectiveAt: REQUESTED_AT,
        merchantId: 'm-000042',
        loanId: 'loan-1',
        lines: [
          { account: 'LOANS_AWAITING_DISBURSEMENT', side: 'DEBIT', amountMinor: 500_000n },
          { account: 'DISBURSEMENTS_PAYABLE', side: 'CREDIT', amountMinor: 500_000n },
        ],
      },
    ]);
    outcome.journal.forEach(assertBalanced);
    expect(outcome.events).toHaveLength(1);
    const [event] = outcome.events;
    expect(event!.type).toBe('disbursement.requested');
    // The contract's own schema accepts the data once the codec writes amounts as strings.
    const wire = {
      ...event!.data,
      amountMinor: String((event!.data as { amountMinor: bigint }).amountMinor),
    };
    expect(DisbursementRequestedData.parse(wire)).toEqual({
      merchantId: 'm-000042',
      disbursementId: 'disb-1',
      loanId: 'loan-1',
      creditLineId: 'cl-1',
      amountMinor: 500_000n,
      currency: 'CNY',
      requestedAt: REQUESTED_AT,
    });
  });

  it('refuses with the assessment’s reason and makes nothing', () => {
    expect(expectRefusal(drawDown(command({ line: null }), LENDING_POLICY_V1)).code).toBe('NO_CREDIT_LINE');
  });

  it('treats a line of another merchant as a bug, not a refusal', () => {
    expect(() =>
      drawDown(command({ line: lineFixture({ merchantId: 'm-other' }) }), LENDING_POLICY_V1),
    ).toThrow("is not merchant m-000042's");
  });

  it('treats a negative open-loan count as a bug', () => {
    expect(() => drawDown(command({ openLoanCount: -1 }), LENDING_POLICY_V1)).toThrow('openLoanCount');
  });
});
