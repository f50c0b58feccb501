import type { DataSource } from 'typeorm';
import { ProfileReader } from './profile-reader';
import {
  DecisionTimeMovedError,
  underwriteInTransaction,
  UnderwritingOutcome,
  UnderwritingPolicies,
  UNDERWRITER_SOURCE,
} from './underwrite-merchant';
import { DecisionTrigger } from './credit-decision-store';

/** Most lines one rebalance sweep re-decides (over every currency); the rest wait for the next sweep. */
export const BUDGET_SWEEP_LINES_MAX = 1_000;

/** The CloudEvents-style source recorded on the decisions of the budget sweep. */
export const BUDGET_SWEEP_SOURCE = `${UNDERWRITER_SOURCE}/budget-sweep`;

export type BudgetSweepPhase = 'over-share' | 'squeezed';

export interface BudgetSweepCurrencyReport {
  readonly currency: string;
  readonly budgetMinor: bigint;
  /** The sweep round: the budget and a fingerprint of every line of the currency when the sweep began. */
  readonly round: string;
  /** Lines whose limit exceeded their ranked share: re-decided first. */
  readonly overShare: number;
  /** Squeezed lines whose share (and request) leaves material room to grow: re-decided best first. */
  readonly squeezed: number;
  /** Decisions made (a line already decided in this round, or decided by a newer signal meanwhile, is not counted). */
  readonly decided: number;
  /** Decisions that moved a line (an event in the outbox). */
  readonly moved: number;
}

export interface BudgetSweepReport {
  readonly currencies: readonly BudgetSweepCurrencyReport[];
  readonly decided: number;
  readonly moved: number;
}

export interface RebalanceOptions {
  /** Only this currency's portfolio; default every currency with a budget row. */
  readonly currency?: string;
  /** Most lines re-decided by this call, 1..BUDGET_SWEEP_LINES_MAX. */
  readonly linesMax?: number;
}

interface CandidateRow {
  readonly merchant_id: string;
  readonly last_decided_at: Date;
  /** The line's write count when it was picked, before its profile is read (UnderwritingRequest.lineVersionRead). */
  readonly version: string;
}

/**
 * Every line of a currency with its ranked share under the budget, exactly as fitToBudget
 * computes it (docs/credit-policy.md, "The portfolio budget"): rank by score then merchant id
 * (COLLATE "C"), requests as portfolioLineOf defines them, commitments covered first, the
 * headroom shared in rank order; over-committed, floors in rank order. `$1` currency, `$2`
 * budget.
 */
const SHARES = `
  WITH lines AS (
    SELECT merchant_id, status, score, limit_minor, requested_limit_minor, reasons, last_decided_at, version,
           outstanding_minor + reserved_minor AS committed,
           CASE status WHEN 'ACTIVE' THEN requested_limit_minor
                       WHEN 'FROZEN' THEN limit_minor ELSE 0 END AS requested
    FROM credit_lines WHERE currency = $1),
  totals AS (SELECT coalesce(sum(committed), 0) AS committed_total FROM lines),
  ranked AS (
    SELECT lines.*,
           least(requested, committed) AS floor,
           greatest(requested - committed, 0) AS want,
           coalesce(sum(greatest(requested - committed, 0)) OVER better, 0) AS better_want,
           coalesce(sum(least(requested, committed)) OVER better, 0) AS better_floor
    FROM lines
    WINDOW better AS (ORDER BY score DESC, merchant_id COLLATE "C"
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
  shares AS (
    SELECT ranked.*,
           CASE WHEN totals.committed_total <= $2::bigint
                THEN floor + least(want, greatest(0, $2::bigint - totals.committed_total - better_want))
                ELSE least(floor, greatest(0, $2::bigint - better_floor)) END AS share
    FROM ranked, totals)`;

/**
 * The budget rebalance sweep (docs/credit-policy.md, "Rebalancing"). A line catches up with
 * the budget on its own next signal only; this sweep makes the others catch up after the
 * budget changes or headroom is freed (a limit lowered, a line frozen or closed):
 *
 * 1. **over-share**: open lines whose limit exceeds their ranked share (after a budget cut, or
 *    a worse merchant that took headroom before a better one asked), worst-ranked first;
 * 2. **squeezed**: active lines below their request with `PORTFOLIO_BUDGET` whose share leaves
 *    a material move (the policy's hysteresis, on the step-rounded target), best-ranked first,
 *    selected after phase 1 has given back what it gives back.
 *
 * Each is an ordinary decision in its own transaction (merchant lock, budget row lock, the
 * line, the outbox), with no inbox row, as of the line's own last decision time (business
 * time: the profile is read as of it, so a replay sees what the decision saw, and the sweep
 * never moves a line forward in time). The trigger is `budget-sweep` with id
 * `<currency>:<budget>:<fingerprint of every line's write version>:<phase>`: a rerun of the
 * same round (a retry, a second replica) derives the same decision ids and changes nothing; a
 * new budget or any line written since starts a new round. Bounded: at most `linesMax`
 * decisions per call.
 */
export async function rebalanceBudget(
  dataSource: DataSource,
  profiles: ProfileReader,
  policies: UnderwritingPolicies,
  options: RebalanceOptions = {},
): Promise<BudgetSweepReport> {
  const linesMax = options.linesMax ?? BUDGET_SWEEP_LINES_MAX;
  if (!Number.isInteger(linesMax) || linesMax < 1 || linesMax > BUDGET_SWEEP_LINES_MAX)
    throw new RangeError(`linesMax must be 1..${BUDGET_SWEEP_LINES_MAX}, got ${linesMax}`);
  const budgets: Array<{ currency: string; budget_minor: string }> = await dataSource.query(
    `SELECT currency, budget_minor::text AS budget_minor FROM portfolio_budget
     WHERE $1::text IS NULL OR currency = $1 ORDER BY currency`,
    [options.currency ?? null],
  );
  const currencies: BudgetSweepCurrencyReport[] = [];
  let left = linesMax;
  for (const { currency, budget_minor } of budgets) {
    if (left === 0) break;
    const report = await rebalanceCurrency(
      dataSource,
      profiles,
      policies,
      currency.trim(),
      BigInt(budget_minor),
      left,
    );
    left -= report.overShare + report.squeezed;
    currencies.push(report);
  }
  return {
    currencies,
    decided: currencies.reduce((sum, report) => sum + report.decided, 0),
    moved: currencies.reduce((sum, report) => sum + report.moved, 0),
  };
}

async function rebalanceCurrency(
  dataSource: DataSource,
  profiles: ProfileReader,
  policies: UnderwritingPolicies,
  currency: string,
  budgetMinor: bigint,
  linesMax: number,
): Promise<BudgetSweepCurrencyReport> {
  const [fingerprint]: Array<{ digest: string }> = await dataSource.query(
    `SELECT md5(coalesce(string_agg(merchant_id || ':' || version, ',' ORDER BY merchant_id COLLATE "C"), '')) AS digest
     FROM credit_lines WHERE currency = $1`,
    [currency],
  );
  const round = `${currency}:${budgetMinor}:${fingerprint!.digest}`;
  let decided = 0;
  let moved = 0;
  const decideAll = async (phase: BudgetSweepPhase, candidates: readonly CandidateRow[]) => {
    const trigger: DecisionTrigger = {
      kind: 'budget-sweep',
      source: BUDGET_SWEEP_SOURCE,
      id: `${round}:${phase}`,
    };
    for (const candidate of candidates) {
      const outcome = await redecide(dataSource, profiles, policies, candidate, trigger);
      if (outcome?.kind !== 'decided') continue;
      decided += 1;
      if (outcome.event !== null) moved += 1;
    }
  };

  const overShare: CandidateRow[] = await dataSource.query(
    `${SHARES}
     SELECT merchant_id, last_decided_at, version::text AS version FROM shares
     WHERE status <> 'CLOSED' AND limit_minor > share
     ORDER BY score ASC, merchant_id COLLATE "C" DESC LIMIT $3`,
    [currency, budgetMinor.toString(), linesMax],
  );
  await decideAll('over-share', overShare);

  const hysteresis = policies.live.hysteresis;
  const squeezed: CandidateRow[] =
    linesMax - overShare.length === 0
      ? []
      : await dataSource.query(
          `${SHARES},
           targets AS (SELECT shares.*, (least(requested, share) / $4::bigint) * $4::bigint AS target FROM shares)
           SELECT merchant_id, last_decided_at, version::text AS version FROM targets
           WHERE status = 'ACTIVE' AND limit_minor < requested_limit_minor
             AND reasons @> '[{"code": "PORTFOLIO_BUDGET"}]'::jsonb
             AND target > limit_minor
             AND (limit_minor = 0
                  OR target - limit_minor >= greatest(limit_minor * $5::bigint / 10000, $6::bigint))
           ORDER BY score DESC, merchant_id COLLATE "C" ASC LIMIT $3`,
          [
            currency,
            budgetMinor.toString(),
            linesMax - overShare.length,
            (policies.live.sizing.limitStepMinor[currency] ?? 1n).toString(),
            hysteresis.limitChangeMinBps,
            (hysteresis.limitChangeMinMinor[currency] ?? 0n).toString(),
          ],
        );
  await decideAll('squeezed', squeezed);
  return {
    currency,
    budgetMinor,
    round,
    overShare: overShare.length,
    squeezed: squeezed.length,
    decided,
    moved,
  };
}

/** One line re-decided as of its own last decision time; null when a newer signal decided it meanwhile. */
async function redecide(
  dataSource: DataSource,
  profiles: ProfileReader,
  policies: UnderwritingPolicies,
  { merchant_id: merchantId, last_decided_at: lastDecidedAt, version }: CandidateRow,
  trigger: DecisionTrigger,
): Promise<UnderwritingOutcome | null> {
  const now = lastDecidedAt.toISOString();
  // Read outside the transaction: Redis is never held under a database lock.
  const profile = await profiles.readWindows(merchantId, lastDecidedAt);
  try {
    return await dataSource.transaction((manager) =>
      underwriteInTransaction(
        manager,
        { merchantId, now, profile, trigger, inboxEvents: [], lineVersionRead: version },
        policies,
      ),
    );
  } catch (error) {
    // A decision (or lending) wrote the line since it was picked; the next sweep looks again.
    if (error instanceof DecisionTimeMovedError) return null;
    throw error;
  }
}
