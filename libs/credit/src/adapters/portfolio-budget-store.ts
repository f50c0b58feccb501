import type { EntityManager } from 'typeorm';
import { BudgetStanding } from '../fit-to-budget';

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
 * Locks a currency's budget row for the rest of the transaction and returns the budget. Every
 * decision in that currency takes this lock after its merchant's, so two decisions never spend
 * the same headroom (the cost: decisions of one currency commit one at a time). A currency
 * without a budget row lends nothing: fail closed.
 */
export async function lockPortfolioBudget(manager: EntityManager, currency: string): Promise<bigint> {
  const rows: Array<{ budget_minor: string }> = await manager.query(
    `SELECT budget_minor FROM portfolio_budget WHERE currency = $1 FOR UPDATE`,
    [currency],
  );
  return rows[0] === undefined ? 0n : BigInt(rows[0].budget_minor);
}

interface StandingRow {
  readonly others_exposure: string;
  readonly others_committed: string;
  readonly better_ranked_want: string;
  readonly better_ranked_floor: string;
}

/**
 * The merchant's standing among every other line of its currency (docs/credit-policy.md, "One
 * decision at a time"): the sums fitToBudget needs, with exposure and request as
 * portfolioLineOf defines them. Rank: higher score first, then merchant id in code-unit order;
 * COLLATE "C" compares bytes, which for the ASCII merchant ids of the contract is that order.
 * O(lines of the currency) per decision; see the README for when that needs a running total.
 */
export async function loadBudgetStanding(
  manager: EntityManager,
  merchant: { readonly merchantId: string; readonly score: number; readonly currency: string },
  budgetMinor: bigint,
): Promise<BudgetStanding> {
  const rows: StandingRow[] = await manager.query(
    `WITH others AS (
       SELECT outstanding_minor + reserved_minor AS committed,
              CASE WHEN status = 'CLOSED' THEN outstanding_minor + reserved_minor
                   ELSE greatest(limit_minor, outstanding_minor + reserved_minor) END AS exposure,
              CASE status WHEN 'ACTIVE' THEN requested_limit_minor
                          WHEN 'FROZEN' THEN limit_minor ELSE 0 END AS requested,
              score > $3 OR (score = $3 AND merchant_id COLLATE "C" < $2 COLLATE "C") AS better
       FROM credit_lines
       WHERE currency = $1 AND merchant_id <> $2)
     SELECT coalesce(sum(exposure), 0)::text                                                AS others_exposure,
            coalesce(sum(committed), 0)::text                                               AS others_committed,
            coalesce(sum(greatest(requested - committed, 0)) FILTER (WHERE better), 0)::text AS better_ranked_want,
            coalesce(sum(least(requested, committed)) FILTER (WHERE better), 0)::text        AS better_ranked_floor
     FROM others`,
    [merchant.currency, merchant.merchantId, merchant.score],
  );
  const row = rows[0]!;
  return {
    budgetMinor,
    othersExposureMinor: BigInt(row.others_exposure),
    othersCommittedMinor: BigInt(row.others_committed),
    betterRankedWantMinor: BigInt(row.better_ranked_want),
    betterRankedFloorMinor: BigInt(row.better_ranked_floor),
  };
}
