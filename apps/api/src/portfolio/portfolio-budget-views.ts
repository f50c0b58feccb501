import { z } from 'zod';
import { formatAmountMinor } from '@lendstream/contracts';
import type { PortfolioBudget } from '@lendstream/credit';

export interface PortfolioBudgetView {
  readonly currency: string;
  /** The cap on the currency's total exposure, minor units as a string. */
  readonly budgetMinor: string;
  readonly updatedAt: string;
  /** The subject of the token that set it, or `config:PORTFOLIO_BUDGET_MINOR` for the seed. */
  readonly updatedBy: string;
}

export interface PortfolioBudgetsView {
  readonly items: readonly PortfolioBudgetView[];
}

export interface PortfolioBudgetChangeView extends PortfolioBudgetView {
  /** The budget before this change; null when the currency had none. */
  readonly previousBudgetMinor: string | null;
}

export const portfolioBudgetView = (budget: PortfolioBudget): PortfolioBudgetView => ({
  currency: budget.currency,
  budgetMinor: formatAmountMinor(budget.budgetMinor),
  updatedAt: budget.updatedAt,
  updatedBy: budget.updatedBy,
});

/** The budget as the audit log keeps it (before and after). */
export const budgetAuditState = (budget: PortfolioBudget | null): PortfolioBudgetView | null =>
  budget === null ? null : portfolioBudgetView(budget);

const budgetFields = {
  currency: z.string(),
  budgetMinor: z.string().regex(/^\d+$/).describe('Minor units as a string of digits'),
  updatedAt: z.string(),
  updatedBy: z.string(),
};
export const PortfolioBudgetsViewSchema: z.ZodType<PortfolioBudgetsView> = z.object({
  items: z.array(z.object(budgetFields)),
});
export const PortfolioBudgetChangeViewSchema: z.ZodType<PortfolioBudgetChangeView> = z.object({
  ...budgetFields,
  previousBudgetMinor: z.string().nullable(),
});
