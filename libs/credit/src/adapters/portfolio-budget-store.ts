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
 * How a batch stands against its currencies' budgets while it decides:
 * - `locked`: the budget rows are locked (FOR UPDATE, in currency order, so two batches never
 *   deadlock) before the lines are loaded, and stay locked until commit, so every decision of the
 *   currency runs after the one before it and no two ever spend the same headroom;
 * - `unlocked`: a plain read of the budgets and lines as last committed. Safe only for decisions
 *   that cannot spend headroom (none raises an exposure, none is squeezed), or when the batch
 *   re-checks the budget under the lock before it commits (portfolioOverDemand).
 */
export type BudgetReading = 'locked' | 'unlocked';

/**
 * Loads every line of each currency into a PortfolioBook, with the currency's budget; `locked`
 * takes the budget rows' locks first (BudgetReading). A batch pays for the O(lines) load once,
 * and decides each merchant against the book in O(log scores). A currency without a budget row
 * lends nothing: fail closed (budget 0).
 */
export async function loadPortfolios(
  manager: EntityManager,
  currencies: Iterable<string>,
  reading: BudgetReading = 'locked',
): Promise<Map<string, CurrencyPortfolio>> {
  const wanted = [...new Set(currencies)].sort();
  const portfolios = new Map<string, CurrencyPortfolio>();
  if (wanted.length === 0) return portfolios;
  const budgetOf = await budgetsOf(manager, wanted, reading);
  for (const currency of wanted) {
    portfolios.set(currency, {
      budgetMinor: budgetOf.get(currency) ?? 0n,
      book: new PortfolioBook(await portfolioLinesOf(manager, currency)),
    });
  }
  return portfolios;
}

/**
 * Under the budget rows' locks (taken here, held until commit), the currencies of `currencies`
 * whose demand exceeds their budget: Σ over every line of the larger of its request and its
 * exposure, as committed plus the caller's own uncommitted writes. Within budget, every line gets
 * what it asks for (no share is cut, no room runs out), so decisions made against an unlocked book
 * are exactly those the locked path would make, and the sum of exposures is within budget; over
 * it, the caller must decide again with the budget locked first. Lock holders run this one after
 * another, each seeing the commits of those before it: two optimistic batches cannot both pass
 * on the same headroom.
 */
export async function portfolioOverDemand(
  manager: EntityManager,
  currencies: Iterable<string>,
): Promise<string[]> {
  const wanted = [...new Set(currencies)].sort();
  if (wanted.length === 0) return [];
  const budgetOf = await budgetsOf(manager, wanted, 'locked');
  const rows: Array<{ currency: string; demand: string }> = await manager.query(
    `SELECT currency, sum(greatest(${REQUESTED_SQL}, ${EXPOSURE_SQL}))::text AS demand
     FROM credit_lines WHERE currency = ANY($1::text[]) GROUP BY currency`,
    [wanted],
  );
  const demandOf = new Map(rows.map((row) => [row.currency, BigInt(row.demand)]));
  return wanted.filter((currency) => (demandOf.get(currency) ?? 0n) > (budgetOf.get(currency) ?? 0n));
}

async function budgetsOf(
  manager: EntityManager,
  currencies: readonly string[],
  reading: BudgetReading,
): Promise<Map<string, bigint>> {
  const budgets: Array<{ currency: string; budget_minor: string }> = await manager.query(
    `SELECT currency, budget_minor FROM portfolio_budget WHERE currency = ANY($1::text[])
     ORDER BY currency${reading === 'locked' ? ' FOR UPDATE' : ''}`,
    [currencies],
  );
  return new Map(budgets.map((row) => [row.currency, BigInt(row.budget_minor)]));
}

/** A line's exposure and request as portfolioLineOf defines them, in SQL. */
const EXPOSURE_SQL = `(CASE WHEN status = 'CLOSED' THEN outstanding_minor + reserved_minor
                  ELSE greatest(limit_minor, outstanding_minor + reserved_minor) END)`;
const REQUESTED_SQL = `(CASE status WHEN 'ACTIVE' THEN requested_limit_minor
                         WHEN 'FROZEN' THEN limit_minor ELSE 0 END)`;

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
            ${EXPOSURE_SQL}::text AS exposure,
            ${REQUESTED_SQL}::text AS requested
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
