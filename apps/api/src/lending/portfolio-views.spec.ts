import type { PortfolioBudget } from '@lendstream/credit';
import type { AmountsByLoans, CurrencyPortfolio, PortfolioSummary } from '@lendstream/lending';
import type { CreditLineTotals } from './credit-line-totals';
import { portfolioView, PortfolioViewSchema } from './portfolio-views';

const none: AmountsByLoans = {
  count: 0,
  principalMinor: 0n,
  outstandingPrincipalMinor: 0n,
  outstandingInterestMinor: 0n,
};
const amounts = (
  count: number,
  principal: bigint,
  outstanding: bigint,
  interest: bigint,
): AmountsByLoans => ({
  count,
  principalMinor: principal,
  outstandingPrincipalMinor: outstanding,
  outstandingInterestMinor: interest,
});

const cnyLoans: CurrencyPortfolio = {
  currency: 'CNY',
  byStatus: {
    PENDING_DISBURSEMENT: amounts(1, 50_000n, 0n, 0n),
    ACTIVE: amounts(2, 300_000n, 250_000n, 1_200n),
    REPAID: amounts(1, 100_000n, 0n, 0n),
    WRITTEN_OFF: none,
    CANCELLED: none,
  },
  activeByBucket: {
    CURRENT: amounts(1, 100_000n, 100_000n, 200n),
    DPD_1_30: amounts(1, 200_000n, 150_000n, 1_000n),
    DPD_31_60: none,
    DPD_61_90: none,
    DPD_90_PLUS: none,
  },
  reservedMinor: 50_000n,
  exposureMinor: 251_200n,
  interestEarnedMinor: 3_000n,
  interestCollectedMinor: 1_800n,
  lossesPrincipalMinor: 0n,
  lossesInterestMinor: 0n,
};

const line = (
  status: CreditLineTotals['status'],
  overrides: Partial<CreditLineTotals>,
): CreditLineTotals => ({
  currency: 'CNY',
  status,
  lines: 1,
  limitMinor: 0n,
  availableMinor: 0n,
  reservedMinor: 0n,
  outstandingMinor: 0n,
  exposureMinor: 0n,
  ...overrides,
});

const budget = (currency: string, budgetMinor: bigint): PortfolioBudget => ({
  currency,
  budgetMinor,
  updatedAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 'treasurer',
});

describe('portfolioView', () => {
  const summary: PortfolioSummary = { asOf: '2026-11-20T00:00:00.000Z', currencies: [cnyLoans] };

  it("gives per currency the budget's use, the lines and the loans, money as strings", () => {
    const view = portfolioView(
      summary,
      [budget('CNY', 1_000_000n)],
      [
        line('ACTIVE', {
          lines: 2,
          limitMinor: 600_000n,
          availableMinor: 300_000n,
          reservedMinor: 50_000n,
          outstandingMinor: 250_000n,
          exposureMinor: 600_000n,
        }),
        line('FROZEN', { limitMinor: 100_000n, outstandingMinor: 150_000n, exposureMinor: 150_000n }),
      ],
    );
    expect(view.asOf).toBe('2026-11-20T00:00:00.000Z');
    expect(view.currencies).toHaveLength(1);
    const [cny] = view.currencies;
    expect(cny!.budget).toEqual({
      budgetMinor: '1000000',
      usedMinor: '750000',
      headroomMinor: '250000',
      usedBps: 7_500,
      updatedAt: '2026-11-01T00:00:00.000Z',
      updatedBy: 'treasurer',
    });
    expect(cny!.lines).toEqual({
      byStatus: {
        ACTIVE: {
          count: 2,
          limitMinor: '600000',
          availableMinor: '300000',
          reservedMinor: '50000',
          outstandingMinor: '250000',
        },
        FROZEN: {
          count: 1,
          limitMinor: '100000',
          availableMinor: '0',
          reservedMinor: '0',
          outstandingMinor: '150000',
        },
        CLOSED: { count: 0, limitMinor: '0', availableMinor: '0', reservedMinor: '0', outstandingMinor: '0' },
      },
      availableMinor: '300000',
    });
    expect(cny!.loans).toMatchObject({
      exposureMinor: '251200',
      reservedMinor: '50000',
      interestEarnedMinor: '3000',
      interestCollectedMinor: '1800',
      byStatus: {
        ACTIVE: {
          count: 2,
          principalMinor: '300000',
          outstandingPrincipalMinor: '250000',
          outstandingInterestMinor: '1200',
        },
        CANCELLED: { count: 0, principalMinor: '0' },
      },
      activeByBucket: {
        DPD_1_30: { count: 1, outstandingPrincipalMinor: '150000' },
        DPD_90_PLUS: { count: 0 },
      },
    });
    expect(PortfolioViewSchema.parse(view)).toEqual(view);
  });

  it('over budget: no headroom, use above 10 000 bps', () => {
    const [cny] = portfolioView(
      summary,
      [budget('CNY', 400_000n)],
      [line('ACTIVE', { exposureMinor: 500_000n })],
    ).currencies;
    expect(cny!.budget).toMatchObject({ usedMinor: '500000', headroomMinor: '0', usedBps: 12_500 });
  });

  it('lists every currency with a budget, a line or a loan, in order; a missing part is zeros or null', () => {
    const view = portfolioView(
      { asOf: summary.asOf, currencies: [{ ...cnyLoans, currency: 'USD' }] },
      [budget('EUR', 0n)],
      [line('CLOSED', { currency: 'CNY', outstandingMinor: 7n, exposureMinor: 7n })],
    );
    expect(view.currencies.map((currency) => currency.currency)).toEqual(['CNY', 'EUR', 'USD']);
    const [cny, eur, usd] = view.currencies;
    expect(cny!.budget).toEqual({
      budgetMinor: null,
      usedMinor: '7',
      headroomMinor: null,
      usedBps: null,
      updatedAt: null,
      updatedBy: null,
    });
    expect(cny!.loans.byStatus.ACTIVE.count).toBe(0);
    expect(eur!.budget).toMatchObject({ budgetMinor: '0', headroomMinor: '0', usedBps: null });
    expect(usd!.loans.exposureMinor).toBe('251200');
    expect(usd!.lines.byStatus.ACTIVE.count).toBe(0);
  });
});
