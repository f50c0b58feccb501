import fc from 'fast-check';
import { budgetStandingOf, PortfolioLine } from './fit-to-budget';
import { PortfolioBook } from './portfolio-book';

const MERCHANTS = ['m-1', 'm-2', 'm-10', 'm-3', 'M-9', 'm-30', 'm-4'];

const lineArbitrary: fc.Arbitrary<PortfolioLine> = fc.record({
  merchantId: fc.constantFrom(...MERCHANTS),
  // Few distinct scores, so ties (the merchant-id tie-break) are common.
  score: fc.oneof(fc.constantFrom(0, 500, 501, 1000), fc.integer({ min: 0, max: 1000 })),
  requestedLimitMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  exposureMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  committedMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
});

type Step = { kind: 'put'; line: PortfolioLine } | { kind: 'remove'; merchantId: string };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: lineArbitrary.map((line) => ({ kind: 'put' as const, line })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...MERCHANTS).map((merchantId) => ({ kind: 'remove' as const, merchantId })),
  },
);

describe('PortfolioBook', () => {
  it('gives every merchant the standing budgetStandingOf computes over the same lines, through any puts and removes', () => {
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { maxLength: 40 }),
        fc.constantFrom(...MERCHANTS),
        fc.integer({ min: 0, max: 1000 }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        (steps, merchantId, score, budgetMinor) => {
          const book = new PortfolioBook();
          const reference = new Map<string, PortfolioLine>();
          for (const step of steps) {
            if (step.kind === 'put') {
              book.put(step.line);
              reference.set(step.line.merchantId, step.line);
            } else {
              book.remove(step.merchantId);
              reference.delete(step.merchantId);
            }
          }
          expect(book.size).toBe(reference.size);
          expect(book.standingOf({ merchantId, score }, budgetMinor)).toEqual(
            budgetStandingOf({ merchantId, score }, [...reference.values()], budgetMinor),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a higher score ranks above', { merchantId: 'm-2', score: 600 }, 100n],
    ['an equal score and a smaller merchant id ranks above', { merchantId: 'm-0', score: 500 }, 100n],
    ['an equal score and a larger merchant id ranks below', { merchantId: 'm-2', score: 500 }, 0n],
    ['a lower score ranks below', { merchantId: 'm-0', score: 499 }, 0n],
  ])('%s', (_case, other, expectedBetterWant) => {
    const book = new PortfolioBook([
      { ...other, requestedLimitMinor: 150n, exposureMinor: 150n, committedMinor: 50n },
    ]);
    const standing = book.standingOf({ merchantId: 'm-1', score: 500 }, 1_000n);
    expect(standing.betterRankedWantMinor).toBe(expectedBetterWant);
    expect(standing.othersExposureMinor).toBe(150n);
    expect(standing.othersCommittedMinor).toBe(50n);
  });

  it('leaves the merchant’s own line out of its standing, whatever score the line was stored with', () => {
    const book = new PortfolioBook([
      { merchantId: 'm-1', score: 900, requestedLimitMinor: 70n, exposureMinor: 70n, committedMinor: 0n },
    ]);
    expect(book.standingOf({ merchantId: 'm-1', score: 100 }, 500n)).toEqual({
      budgetMinor: 500n,
      othersExposureMinor: 0n,
      othersCommittedMinor: 0n,
      betterRankedWantMinor: 0n,
      betterRankedFloorMinor: 0n,
    });
  });

  it.each([[-1], [1001], [1.5], [Number.NaN]])('refuses the score %p', (score) => {
    const book = new PortfolioBook();
    expect(() => book.standingOf({ merchantId: 'm-1', score }, 0n)).toThrow(RangeError);
    expect(() =>
      book.put({ merchantId: 'm-1', score, requestedLimitMinor: 0n, exposureMinor: 0n, committedMinor: 0n }),
    ).toThrow(RangeError);
  });
});
