import { CreditLineView } from '../credit-line-view';
import { drawDown } from '../draw-down';
import { settleDisbursement } from '../disbursement';
import { LENDING_POLICY_V1, LendingPolicy } from '../lending-policy';
import { Loan } from '../loan';

/** The moment the fixtures' drawdowns are requested, and the day treasury pays them. */
export const REQUESTED_AT = '2026-11-11T09:30:00.000Z';
export const DISBURSED_AT = '2026-11-11T09:31:00.000Z';

/** An active CNY line with room: 26 500 yuan limit, 20 000 available, 2 bps a day. */
export function lineFixture(overrides: Partial<CreditLineView> = {}): CreditLineView {
  return {
    creditLineId: 'cl-1',
    merchantId: 'm-000042',
    status: 'ACTIVE',
    currency: 'CNY',
    limitMinor: 2_650_000n,
    availableMinor: 2_000_000n,
    dailyRateBps: 2,
    ...overrides,
  };
}

export interface LoanFixtureOptions {
  readonly loanId?: string;
  readonly principalMinor?: bigint;
  readonly termDays?: number;
  readonly dailyRateBps?: number;
  readonly requestedAt?: string;
  readonly disbursedAt?: string;
  readonly policy?: LendingPolicy;
}

/** A loan awaiting disbursement, made by the real drawdown (so it is what production makes). */
export function pendingLoanFixture(options: LoanFixtureOptions = {}): Loan {
  const loanId = options.loanId ?? 'loan-1';
  const principalMinor = options.principalMinor ?? 1_000_000n;
  const outcome = drawDown(
    {
      merchantId: 'm-000042',
      loanId,
      disbursementId: `disb-${loanId}`,
      line: lineFixture({
        availableMinor: principalMinor,
        limitMinor: principalMinor,
        dailyRateBps: options.dailyRateBps ?? 2,
      }),
      openLoanCount: 0,
      request: { amountMinor: principalMinor, currency: 'CNY', termDays: options.termDays ?? 30 },
      requestedAt: options.requestedAt ?? REQUESTED_AT,
    },
    {
      ...(options.policy ?? LENDING_POLICY_V1),
      // Fixtures may build loans below the minimum or outside the term range to test the rules at the edges.
      drawdownMinMinor: { CNY: 1n },
      termDaysMin: 1,
      termDaysMax: 365,
    },
  );
  if (!outcome.ok) throw new Error(`fixture drawdown refused: ${outcome.error.message}`);
  return outcome.value.loan;
}

/** An active loan, disbursed on 2026-11-11 (due 2026-12-11 at 23:59:59.999Z on the default 30-day term). */
export function activeLoanFixture(options: LoanFixtureOptions = {}): Loan {
  const settled = settleDisbursement(pendingLoanFixture(options), {
    treasuryRef: 'tr-1',
    settledAt: options.disbursedAt ?? DISBURSED_AT,
  });
  if (!settled.ok) throw new Error(`fixture settlement refused: ${settled.error.message}`);
  return settled.value.loan;
}

/** Unwraps a Result in a test, failing with the refusal's message. */
export function expectOk<T, E extends { message: string }>(
  result: { ok: true; value: T } | { ok: false; error: E },
): T {
  if (!result.ok) throw new Error(`expected ok, got refusal: ${result.error.message}`);
  return result.value;
}

/** Unwraps a refusal in a test. */
export function expectRefusal<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): E {
  if (result.ok) throw new Error('expected a refusal, got ok');
  return result.error;
}
