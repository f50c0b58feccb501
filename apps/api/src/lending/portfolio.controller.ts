import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { readPortfolioBudgets } from '@lendstream/credit';
import { portfolioSummary } from '@lendstream/lending';
import { ApiDocumented, RequireRoles } from '@lendstream/platform';
import { creditLineTotals } from './credit-line-totals';
import { type PortfolioView, portfolioView, PortfolioViewSchema } from './portfolio-views';

/** The lending portfolio against treasury's budget, for finance operations (role ops:read). */
@Controller('v1/portfolio')
export class PortfolioController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'The portfolio: exposure, the budget and its use, loans by status and days past due',
    description:
      "Per currency: treasury's budget (portfolio_budget) and how much of it the credit lines use (each line counts max(limit, lent), as the underwriter's budget counts it), the lines by status, and the loans by status and, for active loans, by days-past-due bucket as of now, with exposure, interest earned and collected, and losses. Read in one snapshot.",
    tags: ['portfolio'],
    responses: { 200: { description: 'The portfolio per currency', schema: PortfolioViewSchema } },
  })
  async portfolio(): Promise<PortfolioView> {
    // One REPEATABLE READ snapshot: the lines, the loans and the budget seen at the same instant,
    // so the budget's use and the loans' exposure add up with each other.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const asOf = new Date().toISOString();
      const loans = await portfolioSummary(manager, asOf);
      const budgets = await readPortfolioBudgets(manager);
      const lines = await creditLineTotals(manager);
      return portfolioView(loans, budgets, lines);
    });
  }
}
