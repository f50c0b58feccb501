import { assertBudgetRequest, BudgetRequest, compareBudgetRank, splitRequest } from './allocate-budget';
import { maxOf, minOf } from './integer-math';

/**
 * The budget one decision at a time. The underwriter decides one merchant while every other
 * line keeps its current limit; the merchant gets the least of:
 *
 * - its request (what the policy offers);
 * - its share: exactly what `allocateBudget` would give it over everyone's current requests
 *   (computed from sums over the other lines, so a decision costs O(1) given the sums);
 * - the room: budget − the other lines' current exposure, so that this decision alone never
 *   takes the portfolio over budget, whatever the other lines have not yet given back.
 *
 * Guarantees:
 * 1. Every decision keeps the sum of exposures (hence of limits) within the budget if it was
 *    within before; after a budget cut, re-decisions only ever lower the sum until it fits.
 * 2. No decision gives a merchant more than its ranked share: a worse merchant never keeps
 *    headroom a better one asked for once it is re-decided.
 * 3. With requests unchanged, re-deciding every line twice (any order) reaches exactly the
 *    batch allocation: the first pass brings every line down to at most its share, the second
 *    finds room for every share. A better merchant therefore takes headroom from a worse one
 *    as lines are re-decided, never by racing it. The underwriter should re-decide lines whose
 *    limit exceeds their share, then squeezed lines best first, after a budget change or when
 *    a decision frees headroom, rather than wait for their next profile event.
 */
export interface BudgetStanding {
  readonly budgetMinor: bigint;
  /** Σ over every other line of its exposure (see exposureOf in credit-line-state). */
  readonly othersExposureMinor: bigint;
  /** Σ over every other line of its commitment (outstanding + reserved). */
  readonly othersCommittedMinor: bigint;
  /** Σ over the lines ranked above this merchant of the new money they ask for: max(0, requested − committed). */
  readonly betterRankedWantMinor: bigint;
  /** Σ over the lines ranked above this merchant of min(requested, committed); used only when over-committed. */
  readonly betterRankedFloorMinor: bigint;
}

export interface BudgetFit {
  readonly limitMinor: bigint;
  readonly shareMinor: bigint;
  readonly roomMinor: bigint;
  readonly squeezed: boolean;
}

export function fitToBudget(request: BudgetRequest, standing: BudgetStanding): BudgetFit {
  assertBudgetRequest(request);
  const committedMinor = request.committedMinor ?? 0n;
  const { floorMinor, wantMinor } = splitRequest(request.requestedLimitMinor, committedMinor);
  const committedTotal = standing.othersCommittedMinor + committedMinor;
  const shareMinor =
    committedTotal <= standing.budgetMinor
      ? floorMinor +
        minOf(wantMinor, maxOf(0n, standing.budgetMinor - committedTotal - standing.betterRankedWantMinor))
      : minOf(floorMinor, maxOf(0n, standing.budgetMinor - standing.betterRankedFloorMinor));
  const roomMinor = maxOf(0n, standing.budgetMinor - standing.othersExposureMinor);
  const limitMinor = minOf(request.requestedLimitMinor, shareMinor, roomMinor);
  return { limitMinor, shareMinor, roomMinor, squeezed: limitMinor < request.requestedLimitMinor };
}

/** One other line as the budget sees it. */
export interface PortfolioLine {
  readonly merchantId: string;
  readonly score: number;
  /** Its claim in the ranking: the policy's offer for an active line, the kept limit for a frozen one, 0 when closed. */
  readonly requestedLimitMinor: bigint;
  /** Its exposure: max(limit, committed) when open, committed when closed. */
  readonly exposureMinor: bigint;
  readonly committedMinor: bigint;
}

/** The standing of `merchant` among `lines` (its own line, if listed, is skipped). For small portfolios and tests; the underwriter computes the same sums in SQL. */
export function budgetStandingOf(
  merchant: { readonly merchantId: string; readonly score: number },
  lines: readonly PortfolioLine[],
  budgetMinor: bigint,
): BudgetStanding {
  let othersExposureMinor = 0n;
  let othersCommittedMinor = 0n;
  let betterRankedWantMinor = 0n;
  let betterRankedFloorMinor = 0n;
  for (const line of lines) {
    if (line.merchantId === merchant.merchantId) continue;
    othersExposureMinor += line.exposureMinor;
    othersCommittedMinor += line.committedMinor;
    if (compareBudgetRank(line, merchant) < 0) {
      const { floorMinor, wantMinor } = splitRequest(line.requestedLimitMinor, line.committedMinor);
      betterRankedWantMinor += wantMinor;
      betterRankedFloorMinor += floorMinor;
    }
  }
  return {
    budgetMinor,
    othersExposureMinor,
    othersCommittedMinor,
    betterRankedWantMinor,
    betterRankedFloorMinor,
  };
}
