import { z } from 'zod';
import { formatAmountMinor } from '@lendstream/contracts';
import type { PortfolioBudget } from '@lendstream/credit';
import {
  type AmountsByLoans,
  type CurrencyPortfolio,
  DELINQUENCY_BUCKETS,
  type DelinquencyBucket,
  LOAN_STATUSES,
  type LoanStatus,
  type PortfolioSummary,
} from '@lendstream/lending';
import type { CreditLineTotals } from './credit-line-totals';
import { Digits, Instant } from './loan-view-schemas';

/**
 * What `GET /v1/portfolio` answers, per currency (amounts of different currencies are never
 * added): treasury's budget and how much of it the lines use, the lines, and the loans by
 * status and days-past-due bucket with exposure, interest and losses. Pure.
 */

export interface LoanAmountsView {
  readonly count: number;
  /** What was drawn. */
  readonly principalMinor: string;
  readonly outstandingPrincipalMinor: string;
  readonly outstandingInterestMinor: string;
}

export interface BudgetUseView {
  /** Treasury's cap on the currency's exposure; null when it has none (nothing is lent in it then). */
  readonly budgetMinor: string | null;
  /** Σ over the lines of max(limit, lent) (lent only for a closed line): what the budget counts. */
  readonly usedMinor: string;
  /** max(0, budget − used); null without a budget. */
  readonly headroomMinor: string | null;
  /** used ÷ budget in basis points, rounded down; null without a budget or with a budget of 0. */
  readonly usedBps: number | null;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export interface LineStatusTotalsView {
  readonly count: number;
  readonly limitMinor: string;
  readonly availableMinor: string;
  readonly reservedMinor: string;
  readonly outstandingMinor: string;
}

export interface CurrencyPortfolioView {
  readonly currency: string;
  readonly budget: BudgetUseView;
  readonly lines: {
    readonly byStatus: Readonly<Record<'ACTIVE' | 'FROZEN' | 'CLOSED', LineStatusTotalsView>>;
    /** Σ available of the active lines: what merchants could draw right now. */
    readonly availableMinor: string;
  };
  readonly loans: {
    /** Outstanding principal and interest of active loans. */
    readonly exposureMinor: string;
    /** Principal reserved for loans awaiting disbursement. */
    readonly reservedMinor: string;
    readonly interestEarnedMinor: string;
    readonly interestCollectedMinor: string;
    readonly lossesPrincipalMinor: string;
    readonly lossesInterestMinor: string;
    readonly byStatus: Readonly<Record<LoanStatus, LoanAmountsView>>;
    /** Active loans by days past due as of `asOf`. */
    readonly activeByBucket: Readonly<Record<DelinquencyBucket, LoanAmountsView>>;
  };
}

export interface PortfolioView {
  readonly asOf: string;
  /** Every currency with a budget, a line or a loan, in currency order. */
  readonly currencies: readonly CurrencyPortfolioView[];
}

const LINE_STATUSES = ['ACTIVE', 'FROZEN', 'CLOSED'] as const;
const minor = formatAmountMinor;

const amountsView = (amounts: AmountsByLoans): LoanAmountsView => ({
  count: amounts.count,
  principalMinor: minor(amounts.principalMinor),
  outstandingPrincipalMinor: minor(amounts.outstandingPrincipalMinor),
  outstandingInterestMinor: minor(amounts.outstandingInterestMinor),
});

const NO_LOANS: AmountsByLoans = {
  count: 0,
  principalMinor: 0n,
  outstandingPrincipalMinor: 0n,
  outstandingInterestMinor: 0n,
};

function budgetUse(budget: PortfolioBudget | undefined, usedMinor: bigint): BudgetUseView {
  if (budget === undefined)
    return {
      budgetMinor: null,
      usedMinor: minor(usedMinor),
      headroomMinor: null,
      usedBps: null,
      updatedAt: null,
      updatedBy: null,
    };
  const cap = budget.budgetMinor;
  return {
    budgetMinor: minor(cap),
    usedMinor: minor(usedMinor),
    headroomMinor: minor(cap > usedMinor ? cap - usedMinor : 0n),
    usedBps: cap === 0n ? null : Number((usedMinor * 10_000n) / cap),
    updatedAt: budget.updatedAt,
    updatedBy: budget.updatedBy,
  };
}

function currencyView(
  currency: string,
  budget: PortfolioBudget | undefined,
  lines: readonly CreditLineTotals[],
  loans: CurrencyPortfolio | undefined,
): CurrencyPortfolioView {
  const byStatus = Object.fromEntries(
    LINE_STATUSES.map((status) => {
      const totals = lines.find((line) => line.status === status);
      return [
        status,
        {
          count: totals?.lines ?? 0,
          limitMinor: minor(totals?.limitMinor ?? 0n),
          availableMinor: minor(totals?.availableMinor ?? 0n),
          reservedMinor: minor(totals?.reservedMinor ?? 0n),
          outstandingMinor: minor(totals?.outstandingMinor ?? 0n),
        },
      ];
    }),
  ) as Record<(typeof LINE_STATUSES)[number], LineStatusTotalsView>;
  const used = lines.reduce((sum, line) => sum + line.exposureMinor, 0n);
  const available = lines
    .filter((line) => line.status === 'ACTIVE')
    .reduce((sum, line) => sum + line.availableMinor, 0n);
  return {
    currency,
    budget: budgetUse(budget, used),
    lines: { byStatus, availableMinor: minor(available) },
    loans: {
      exposureMinor: minor(loans?.exposureMinor ?? 0n),
      reservedMinor: minor(loans?.reservedMinor ?? 0n),
      interestEarnedMinor: minor(loans?.interestEarnedMinor ?? 0n),
      interestCollectedMinor: minor(loans?.interestCollectedMinor ?? 0n),
      lossesPrincipalMinor: minor(loans?.lossesPrincipalMinor ?? 0n),
      lossesInterestMinor: minor(loans?.lossesInterestMinor ?? 0n),
      byStatus: Object.fromEntries(
        LOAN_STATUSES.map((status) => [status, amountsView(loans?.byStatus[status] ?? NO_LOANS)]),
      ) as Record<LoanStatus, LoanAmountsView>,
      activeByBucket: Object.fromEntries(
        DELINQUENCY_BUCKETS.map((bucket) => [bucket, amountsView(loans?.activeByBucket[bucket] ?? NO_LOANS)]),
      ) as Record<DelinquencyBucket, LoanAmountsView>,
    },
  };
}

export function portfolioView(
  loans: PortfolioSummary,
  budgets: readonly PortfolioBudget[],
  lines: readonly CreditLineTotals[],
): PortfolioView {
  const currencies = [
    ...new Set([
      ...budgets.map((budget) => budget.currency),
      ...lines.map((line) => line.currency),
      ...loans.currencies.map((portfolio) => portfolio.currency),
    ]),
  ].sort();
  return {
    asOf: loans.asOf,
    currencies: currencies.map((currency) =>
      currencyView(
        currency,
        budgets.find((budget) => budget.currency === currency),
        lines.filter((line) => line.currency === currency),
        loans.currencies.find((portfolio) => portfolio.currency === currency),
      ),
    ),
  };
}

const LoanAmountsViewSchema = z.object({
  count: z.number().int(),
  principalMinor: Digits,
  outstandingPrincipalMinor: Digits,
  outstandingInterestMinor: Digits,
});
const LineStatusTotalsViewSchema = z.object({
  count: z.number().int(),
  limitMinor: Digits,
  availableMinor: Digits,
  reservedMinor: Digits,
  outstandingMinor: Digits,
});
const keyed = <K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) =>
  z.object(Object.fromEntries(keys.map((key) => [key, schema])) as Record<K, S>);

export const PortfolioViewSchema: z.ZodType<PortfolioView> = z.object({
  asOf: Instant,
  currencies: z.array(
    z.object({
      currency: z.string(),
      budget: z.object({
        budgetMinor: Digits.nullable().describe("Treasury's cap on exposure; null: none, nothing is lent"),
        usedMinor: Digits.describe('Σ over the lines of max(limit, lent); lent only for a closed line'),
        headroomMinor: Digits.nullable(),
        usedBps: z.number().int().nullable().describe('used ÷ budget in basis points, rounded down'),
        updatedAt: Instant.nullable(),
        updatedBy: z.string().nullable(),
      }),
      lines: z.object({
        byStatus: keyed(LINE_STATUSES, LineStatusTotalsViewSchema),
        availableMinor: Digits.describe('What merchants could draw right now'),
      }),
      loans: z.object({
        exposureMinor: Digits.describe('Outstanding principal and interest of active loans'),
        reservedMinor: Digits.describe('Principal of loans awaiting disbursement'),
        interestEarnedMinor: Digits,
        interestCollectedMinor: Digits,
        lossesPrincipalMinor: Digits,
        lossesInterestMinor: Digits,
        byStatus: keyed(LOAN_STATUSES, LoanAmountsViewSchema),
        activeByBucket: keyed(DELINQUENCY_BUCKETS, LoanAmountsViewSchema).describe(
          'Active loans by days past due: CURRENT, 1-30, 31-60, 61-90, 90+',
        ),
      }),
    }),
  ),
});
