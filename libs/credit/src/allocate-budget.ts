import { maxOf, minOf } from './integer-math';

/**
 * The portfolio budget (set by treasury) caps total exposure. When it binds, new money goes
 * to the best-ranked merchants first, never to whoever asked first:
 *
 * - rank: higher score first; equal scores by merchantId in code-unit order (deterministic,
 *   locale-free). The score already prices risk (the grade, hence the daily rate, follows
 *   it), so the best-scored merchant is the best risk-adjusted use of the next yuan.
 * - what is already lent stays: a merchant's commitment (outstanding + reserved) is exposure
 *   whatever its limit, so the budget first covers every commitment, and only the headroom
 *   left (budget − all commitments) is shared out, in rank order, as new money.
 * - over-committed (commitments alone exceed the budget, after treasury cut it): nobody gets
 *   new money, and limits are trimmed in rank order to fit the budget. That changes nothing
 *   a merchant can draw: each is already at or below what it owes.
 *
 * Guarantees: the sum of limits never exceeds the budget; without over-commitment the sum of
 * exposures (max(limit, commitment)) never exceeds it either; of two merchants squeezed, the
 * better-ranked never gets less new money (limit − what it already owes, within its request).
 */
export interface BudgetRequest {
  readonly merchantId: string;
  /** What the policy offers, before the budget. */
  readonly requestedLimitMinor: bigint;
  /** Already lent on the line: outstanding + reserved. Default 0. */
  readonly committedMinor?: bigint;
  readonly score: number;
}

export interface BudgetAllocation {
  readonly merchantId: string;
  readonly requestedLimitMinor: bigint;
  readonly committedMinor: bigint;
  readonly limitMinor: bigint;
  /** limit < requested: the merchant gets PORTFOLIO_BUDGET. */
  readonly squeezed: boolean;
  /** 0 for the best-ranked merchant. */
  readonly rank: number;
}

/** A bound on one allocation run: a portfolio is this many lines at most. */
export const BUDGET_REQUESTS_MAX = 5_000_000;

/** Negative when `a` ranks before `b`: higher score first, then merchantId (code-unit order). */
export function compareBudgetRank(
  a: { readonly merchantId: string; readonly score: number },
  b: { readonly merchantId: string; readonly score: number },
): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.merchantId === b.merchantId) return 0;
  return a.merchantId < b.merchantId ? -1 : 1;
}

/** The part of a request already lent (min(requested, committed)) and the new money it asks for beyond that. */
export function splitRequest(
  requestedLimitMinor: bigint,
  committedMinor: bigint,
): { readonly floorMinor: bigint; readonly wantMinor: bigint } {
  const floorMinor = minOf(requestedLimitMinor, committedMinor);
  return { floorMinor, wantMinor: requestedLimitMinor - floorMinor };
}

export function assertBudgetRequest(request: BudgetRequest): void {
  const committed = request.committedMinor ?? 0n;
  if (request.requestedLimitMinor < 0n || committed < 0n)
    throw new RangeError(`budget request of ${request.merchantId} has a negative amount`);
  if (!Number.isSafeInteger(request.score) || request.score < 0 || request.score > 1_000)
    throw new RangeError(`budget request of ${request.merchantId} has score ${request.score}`);
}

/** The whole portfolio at once: every request's limit under `budgetMinor`, in rank order. */
export function allocateBudget(requests: readonly BudgetRequest[], budgetMinor: bigint): BudgetAllocation[] {
  if (budgetMinor < 0n) throw new RangeError(`budget must not be negative: ${budgetMinor}`);
  if (requests.length > BUDGET_REQUESTS_MAX)
    throw new RangeError(`${requests.length} budget requests, more than ${BUDGET_REQUESTS_MAX}`);
  requests.forEach(assertBudgetRequest);
  if (new Set(requests.map((request) => request.merchantId)).size !== requests.length)
    throw new RangeError('a merchant appears twice in one budget allocation');

  const ranked = [...requests].sort(compareBudgetRank);
  const committedTotal = ranked.reduce((sum, request) => sum + (request.committedMinor ?? 0n), 0n);
  const overCommitted = committedTotal > budgetMinor;
  // Without over-commitment: every floor is covered, headroom is shared in rank order. With it: floors in rank order.
  let remainingMinor = overCommitted ? budgetMinor : budgetMinor - committedTotal;
  return ranked.map((request, rank) => {
    const committedMinor = request.committedMinor ?? 0n;
    const { floorMinor, wantMinor } = splitRequest(request.requestedLimitMinor, committedMinor);
    const grantedMinor = minOf(overCommitted ? floorMinor : wantMinor, remainingMinor);
    remainingMinor = maxOf(0n, remainingMinor - grantedMinor);
    const limitMinor = overCommitted ? grantedMinor : floorMinor + grantedMinor;
    return {
      merchantId: request.merchantId,
      requestedLimitMinor: request.requestedLimitMinor,
      committedMinor,
      limitMinor,
      squeezed: limitMinor < request.requestedLimitMinor,
      rank,
    };
  });
}
