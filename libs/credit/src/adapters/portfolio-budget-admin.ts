import type { EntityManager } from 'typeorm';

/**
 * Treasury's side of the portfolio budget (CONTRACT.md: `GET · PUT /v1/portfolio/budget`):
 * read every currency's cap, and set one. The underwriter reads the row per batch under its
 * lock (loadPortfolios), so a new budget takes effect on the next decisions; the budget sweep
 * then rebalances the lines it binds.
 */
export interface PortfolioBudget {
  readonly currency: string;
  readonly budgetMinor: bigint;
  /** When it was last set (wall clock, ISO 8601). */
  readonly updatedAt: string;
  /** Who set it: a token's subject, or `config:PORTFOLIO_BUDGET_MINOR` for the seed. */
  readonly updatedBy: string;
}

interface BudgetRow {
  readonly currency: string;
  readonly budget_minor: string;
  readonly updated_at: Date;
  readonly updated_by: string;
}

const budgetOfRow = (row: BudgetRow): PortfolioBudget => ({
  currency: row.currency,
  budgetMinor: BigInt(row.budget_minor),
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
});

/** Every currency's budget, by currency. */
export async function readPortfolioBudgets(manager: EntityManager): Promise<PortfolioBudget[]> {
  const rows: BudgetRow[] = await manager.query(
    `SELECT currency, budget_minor::text AS budget_minor, updated_at, updated_by
     FROM portfolio_budget ORDER BY currency`,
  );
  return rows.map(budgetOfRow);
}

/** The largest budget the bigint column holds. */
export const PORTFOLIO_BUDGET_MINOR_MAX = 2n ** 63n - 1n;

/**
 * Sets a currency's budget (creating its row if it had none) inside the caller's transaction,
 * and returns it before and after, for the audit log. A transaction-level advisory lock on the
 * currency serialises two treasurers (so each sees the budget the other left, even when the
 * row did not exist yet); the row's own lock makes it wait for an underwriting batch that is
 * deciding against the old budget.
 */
export async function setPortfolioBudget(
  manager: EntityManager,
  currency: string,
  budgetMinor: bigint,
  updatedBy: string,
): Promise<{ readonly before: PortfolioBudget | null; readonly after: PortfolioBudget }> {
  if (manager.queryRunner?.isTransactionActive !== true)
    throw new Error('setPortfolioBudget must run inside the transaction that audits it');
  if (!/^[A-Z]{3}$/.test(currency))
    throw new RangeError(`${JSON.stringify(currency)} is not an ISO 4217 code`);
  if (budgetMinor < 0n || budgetMinor > PORTFOLIO_BUDGET_MINOR_MAX)
    throw new RangeError(`a portfolio budget is 0..2^63-1 minor units, got ${budgetMinor}`);
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('portfolio-budget:' || $1, 0))`, [
    currency,
  ]);
  const [before]: BudgetRow[] = await manager.query(
    `SELECT currency, budget_minor::text AS budget_minor, updated_at, updated_by
     FROM portfolio_budget WHERE currency = $1 FOR UPDATE`,
    [currency],
  );
  const [after]: BudgetRow[] = await manager.query(
    `INSERT INTO portfolio_budget (currency, budget_minor, updated_by, updated_at)
     VALUES ($1, $2, $3, clock_timestamp())
     ON CONFLICT (currency) DO UPDATE
       SET budget_minor = EXCLUDED.budget_minor, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
     RETURNING currency, budget_minor::text AS budget_minor, updated_at, updated_by`,
    [currency, budgetMinor.toString(), updatedBy],
  );
  return { before: before === undefined ? null : budgetOfRow(before), after: budgetOfRow(after!) };
}
