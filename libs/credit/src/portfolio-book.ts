import { splitRequest } from './allocate-budget';
import { BudgetStanding, PortfolioLine } from './fit-to-budget';

/** Scores run 0..1000 (score.ts): one bucket per score. */
const SCORE_BUCKETS = 1_001;

interface BookEntry {
  readonly line: PortfolioLine;
  readonly wantMinor: bigint;
  readonly floorMinor: bigint;
}

/** A Fenwick (binary indexed) tree of bigint sums over score buckets: add and prefix sum in O(log 1001). */
class ScoreSums {
  private readonly tree = new Array<bigint>(SCORE_BUCKETS + 1).fill(0n);

  add(score: number, amount: bigint): void {
    if (amount === 0n) return;
    for (let index = score + 1; index <= SCORE_BUCKETS; index += index & -index) this.tree[index]! += amount;
  }

  /** Σ over scores 0..score inclusive (−1 → 0). */
  upTo(score: number): bigint {
    let sum = 0n;
    for (let index = score + 1; index > 0; index -= index & -index) sum += this.tree[index]!;
    return sum;
  }
}

/**
 * Every open line of one currency as the portfolio budget sees it, indexed so that a
 * merchant's standing (fitToBudget's sums) costs O(log scores + merchants tied on its score)
 * instead of a pass over every line. The underwriter loads it once per batch under the
 * currency's budget lock and updates it after each decision, so the decisions of a batch see
 * each other exactly as if they had been made one transaction at a time.
 *
 * Rank as compareBudgetRank: a higher score first, then the merchant id in code-unit order.
 * Pure; equal to budgetStandingOf over the same lines (portfolio-book.spec.ts).
 */
export class PortfolioBook {
  private readonly entries = new Map<string, BookEntry>();
  /** Merchants per score, for the tie-break among equal scores. */
  private readonly byScore = new Map<number, Map<string, BookEntry>>();
  private readonly wantByScore = new ScoreSums();
  private readonly floorByScore = new ScoreSums();
  private totalExposureMinor = 0n;
  private totalCommittedMinor = 0n;
  private totalWantMinor = 0n;
  private totalFloorMinor = 0n;

  constructor(lines: Iterable<PortfolioLine> = []) {
    for (const line of lines) this.put(line);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces a merchant's line. */
  put(line: PortfolioLine): void {
    assertScore(line.score);
    this.remove(line.merchantId);
    const { floorMinor, wantMinor } = splitRequest(line.requestedLimitMinor, line.committedMinor);
    const entry: BookEntry = { line, wantMinor, floorMinor };
    this.entries.set(line.merchantId, entry);
    let tied = this.byScore.get(line.score);
    if (tied === undefined) this.byScore.set(line.score, (tied = new Map()));
    tied.set(line.merchantId, entry);
    this.wantByScore.add(line.score, wantMinor);
    this.floorByScore.add(line.score, floorMinor);
    this.totalExposureMinor += line.exposureMinor;
    this.totalCommittedMinor += line.committedMinor;
    this.totalWantMinor += wantMinor;
    this.totalFloorMinor += floorMinor;
  }

  remove(merchantId: string): void {
    const entry = this.entries.get(merchantId);
    if (entry === undefined) return;
    const { line, wantMinor, floorMinor } = entry;
    this.entries.delete(merchantId);
    this.byScore.get(line.score)!.delete(merchantId);
    this.wantByScore.add(line.score, -wantMinor);
    this.floorByScore.add(line.score, -floorMinor);
    this.totalExposureMinor -= line.exposureMinor;
    this.totalCommittedMinor -= line.committedMinor;
    this.totalWantMinor -= wantMinor;
    this.totalFloorMinor -= floorMinor;
  }

  /** The standing of `merchant` among every other line of the book (its own line, if listed, is left out). */
  standingOf(
    merchant: { readonly merchantId: string; readonly score: number },
    budgetMinor: bigint,
  ): BudgetStanding {
    assertScore(merchant.score);
    const own = this.entries.get(merchant.merchantId);
    // Lines with a strictly higher score rank above; among equal scores, smaller merchant ids.
    let betterRankedWantMinor = this.totalWantMinor - this.wantByScore.upTo(merchant.score);
    let betterRankedFloorMinor = this.totalFloorMinor - this.floorByScore.upTo(merchant.score);
    for (const [merchantId, tied] of this.byScore.get(merchant.score) ?? []) {
      if (merchantId < merchant.merchantId) {
        betterRankedWantMinor += tied.wantMinor;
        betterRankedFloorMinor += tied.floorMinor;
      }
    }
    // The merchant's own line never counts; it can only rank above itself when its stored score is higher.
    if (own !== undefined && own.line.score > merchant.score) {
      betterRankedWantMinor -= own.wantMinor;
      betterRankedFloorMinor -= own.floorMinor;
    }
    return {
      budgetMinor,
      othersExposureMinor: this.totalExposureMinor - (own?.line.exposureMinor ?? 0n),
      othersCommittedMinor: this.totalCommittedMinor - (own?.line.committedMinor ?? 0n),
      betterRankedWantMinor,
      betterRankedFloorMinor,
    };
  }
}

function assertScore(score: number): void {
  if (!Number.isSafeInteger(score) || score < 0 || score >= SCORE_BUCKETS)
    throw new RangeError(`a portfolio line's score must be an integer 0..${SCORE_BUCKETS - 1}: ${score}`);
}
