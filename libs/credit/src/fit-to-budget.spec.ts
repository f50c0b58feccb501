import fc from 'fast-check';
import { allocateBudget } from './allocate-budget';
import { budgetStandingOf, fitToBudget, PortfolioLine } from './fit-to-budget';

/** A line in a simulated portfolio: what the policy asks for it, what it owes, what it holds now. */
interface SimulatedLine {
  readonly merchantId: string;
  readonly score: number;
  readonly requestedLimitMinor: bigint;
  readonly committedMinor: bigint;
  limitMinor: bigint;
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const exposure = (line: SimulatedLine) => maxOf(line.limitMinor, line.committedMinor);
const totalExposure = (lines: SimulatedLine[]) => lines.reduce((sum, line) => sum + exposure(line), 0n);
const asPortfolio = (lines: SimulatedLine[]): PortfolioLine[] =>
  lines.map((line) => ({
    merchantId: line.merchantId,
    score: line.score,
    requestedLimitMinor: line.requestedLimitMinor,
    exposureMinor: exposure(line),
    committedMinor: line.committedMinor,
  }));

/** One underwriting decision: the merchant's limit re-fitted against everyone else as they stand. */
function redecide(lines: SimulatedLine[], line: SimulatedLine, budgetMinor: bigint): void {
  const standing = budgetStandingOf(line, asPortfolio(lines), budgetMinor);
  line.limitMinor = fitToBudget(
    {
      merchantId: line.merchantId,
      score: line.score,
      requestedLimitMinor: line.requestedLimitMinor,
      committedMinor: line.committedMinor,
    },
    standing,
  ).limitMinor;
}

const portfolioArbitrary = fc.uniqueArray(
  fc.record({
    merchantId: fc.stringMatching(/^m-[a-f0-9]{1,4}$/),
    score: fc.integer({ min: 0, max: 1_000 }),
    requestedLimitMinor: fc.bigInt({ min: 0n, max: 2_000_000n }),
    committedMinor: fc.bigInt({ min: 0n, max: 500_000n }),
    limitMinor: fc.bigInt({ min: 0n, max: 2_000_000n }),
  }),
  { selector: (line) => line.merchantId, minLength: 1, maxLength: 20 },
);
const budgetArbitrary = fc.bigInt({ min: 0n, max: 20_000_000n });
const orderArbitrary = fc.func(fc.integer());

describe('fitToBudget: one decision at a time', () => {
  it('squeezes to what is left after the better-ranked, and never past the room the others leave', () => {
    const standing = budgetStandingOf(
      { merchantId: 'm-b', score: 700 },
      [
        { merchantId: 'm-a', score: 900, requestedLimitMinor: 600n, exposureMinor: 600n, committedMinor: 0n },
        { merchantId: 'm-c', score: 500, requestedLimitMinor: 600n, exposureMinor: 300n, committedMinor: 0n },
      ],
      1_000n,
    );
    expect(standing).toEqual({
      budgetMinor: 1_000n,
      othersExposureMinor: 900n,
      othersCommittedMinor: 0n,
      betterRankedWantMinor: 600n,
      betterRankedFloorMinor: 0n,
    });
    // Its share is 400 (after m-a's 600), but m-c still holds 300 until it is re-decided: 100 now.
    expect(fitToBudget({ merchantId: 'm-b', score: 700, requestedLimitMinor: 600n }, standing)).toEqual({
      limitMinor: 100n,
      shareMinor: 400n,
      roomMinor: 100n,
      squeezed: true,
    });
  });

  it('gives each merchant exactly its batch allocation when the others hold theirs', () => {
    fc.assert(
      fc.property(portfolioArbitrary, budgetArbitrary, (lines, budget) => {
        const batch = allocateBudget(lines, budget);
        const atBatch = lines.map((line) => ({
          ...line,
          limitMinor: batch.find((allocation) => allocation.merchantId === line.merchantId)!.limitMinor,
        }));
        for (const line of atBatch) {
          const fit = fitToBudget(line, budgetStandingOf(line, asPortfolio(atBatch), budget));
          expect(fit.shareMinor).toBe(line.limitMinor);
        }
      }),
    );
  });

  it('never takes the portfolio over budget in any one decision', () => {
    fc.assert(
      fc.property(portfolioArbitrary, budgetArbitrary, orderArbitrary, (lines, budget, order) => {
        fc.pre(totalExposure(lines) <= budget);
        for (const line of [...lines].sort((a, b) => order(a.merchantId) - order(b.merchantId))) {
          redecide(lines, line, budget);
          expect(totalExposure(lines) <= budget).toBe(true);
        }
      }),
    );
  });

  it('after a budget cut, one round of re-decisions brings the portfolio back within budget', () => {
    fc.assert(
      fc.property(portfolioArbitrary, budgetArbitrary, orderArbitrary, (lines, budget, order) => {
        fc.pre(lines.reduce((sum, line) => sum + line.committedMinor, 0n) <= budget);
        for (const line of [...lines].sort((a, b) => order(a.merchantId) - order(b.merchantId)))
          redecide(lines, line, budget);
        expect(totalExposure(lines) <= budget).toBe(true);
      }),
    );
  });

  it('two rounds of re-decisions, in any order, reach exactly the batch allocation: better merchants take headroom as lines are re-decided', () => {
    fc.assert(
      fc.property(
        portfolioArbitrary,
        budgetArbitrary,
        orderArbitrary,
        orderArbitrary,
        (lines, budget, firstOrder, secondOrder) => {
          fc.pre(lines.reduce((sum, line) => sum + line.committedMinor, 0n) <= budget);
          fc.pre(totalExposure(lines) <= budget);
          for (const order of [firstOrder, secondOrder]) {
            for (const line of [...lines].sort((a, b) => order(a.merchantId) - order(b.merchantId)))
              redecide(lines, line, budget);
          }
          const batch = allocateBudget(lines, budget);
          for (const allocation of batch)
            expect(lines.find((line) => line.merchantId === allocation.merchantId)!.limitMinor).toBe(
              allocation.limitMinor,
            );
        },
      ),
    );
  });
});
