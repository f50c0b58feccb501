import type { EntityManager } from 'typeorm';
import { CurrencyPortfolio } from '../decide-with-budget';
import { PortfolioLine } from '../fit-to-budget';
import { PortfolioBook } from '../portfolio-book';

/** Who seeds a budget from configuration (`portfolio_budget.updated_by`). */
export const BUDGET_SEEDED_BY = 'config:PORTFOLIO_BUDGET_MINOR';

/**
 * Seeds a currency's budget from configuration if treasury has not set one: insert if missing,
 * never overwrite, so a restart with an old config cannot undo treasury's later change.
 */
export async function seedPortfolioBudget(
  manager: EntityManager,
  currency: string,
  budgetMinor: bigint,
  updatedBy = BUDGET_SEEDED_BY,
): Promise<void> {
  if (budgetMinor < 0n) throw new RangeError(`a portfolio budget cannot be negative: ${budgetMinor}`);
  await manager.query(
    `INSERT INTO portfolio_budget (currency, budget_minor, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (currency) DO NOTHING`,
    [currency, budgetMinor.toString(), updatedBy],
  );
}

/**
 * Locks the budget rows of `currencies` for the rest of the transaction (in currency order, so
 * two batches never deadlock) and loads every line of each currency into a PortfolioBook.
 * Every decision in a currency runs under this lock, after its merchant's, so two decisions
 * never spend the same headroom; a batch pays for the lock and the O(lines) load once, and
 * decides each merchant against the book in O(log scores). A currency without a budget row
 * lends nothing: fail closed (budget 0).
 */
export async function loadPortfolios(
  manager: EntityManager,
  currencies: Iterable<string>,
): Promise<Map<string, CurrencyPortfolio>> {
  const wanted = [...new Set(currencies)].sort();
  const portfolios = new Map<string, CurrencyPortfolio>();
  if (wanted.length === 0) return portfolios;
  const budgets: Array<{ currency: string; budget_minor: string }> = await manager.query(
    `SELECT currency, budget_minor FROM portfolio_budget WHERE currency = ANY($1::text[])
     ORDER BY currency FOR UPDATE`,
    [wanted],
  );
  const budgetOf = new Map(budgets.map((row) => [row.currency, BigInt(row.budget_minor)]));
  for (const currency of wanted) {
    portfolios.set(currency, {
      budgetMinor: budgetOf.get(currency) ?? 0n,
      book: new PortfolioBook(await portfolioLinesOf(manager, currency)),
    });
  }
  return portfolios;
}

interface PortfolioLineRow {
  readonly merchant_id: string;
  readonly score: number;
  readonly requested: string;
  readonly exposure: string;
  readonly committed: string;
}

/** Every line of a currency as the budget sees it, with exposure and request as portfolioLineOf defines them. */
async function portfolioLinesOf(manager: EntityManager, currency: string): Promise<PortfolioLine[]> {
  const rows: PortfolioLineRow[] = await manager.query(
    `SELECT merchant_id, score,
            (outstanding_minor + reserved_minor)::text AS committed,
            (CASE WHEN status = 'CLOSED' THEN outstanding_minor + reserved_minor
                  ELSE greatest(limit_minor, outstanding_minor + reserved_minor) END)::text AS exposure,
            (CASE status WHEN 'ACTIVE' THEN requested_limit_minor
                         WHEN 'FROZEN' THEN limit_minor ELSE 0 END)::text AS requested
     FROM credit_lines WHERE currency = $1`,
    [currency],
  );
  return rows.map((row) => ({
    merchantId: row.merchant_id,
    score: row.score,
    requestedLimitMinor: BigInt(row.requested),
    exposureMinor: BigInt(row.exposure),
    committedMinor: BigInt(row.committed),
  }));
}
