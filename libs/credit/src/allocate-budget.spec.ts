import fc from 'fast-check';
import { allocateBudget, BudgetAllocation, BudgetRequest, compareBudgetRank } from './allocate-budget';

const request = (
  merchantId: string,
  score: number,
  requestedLimitMinor: bigint,
  committedMinor = 0n,
): BudgetRequest => ({ merchantId, score, requestedLimitMinor, committedMinor });
const limitsOf = (allocations: BudgetAllocation[]) =>
  Object.fromEntries(allocations.map((allocation) => [allocation.merchantId, allocation.limitMinor]));
const sum = (values: bigint[]) => values.reduce((total, value) => total + value, 0n);
const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);

describe('allocateBudget: examples', () => {
  it('gives everyone their request when the budget does not bind', () => {
    const allocations = allocateBudget([request('m-a', 500, 300n), request('m-b', 900, 300n)], 600n);
    expect(limitsOf(allocations)).toEqual({ 'm-a': 300n, 'm-b': 300n });
    expect(allocations.some((allocation) => allocation.squeezed)).toBe(false);
  });

  it('gives headroom to the best score first, then by merchantId, never by arrival', () => {
    const allocations = allocateBudget(
      [request('m-c', 800, 600n), request('m-b', 800, 600n), request('m-a', 900, 600n)],
      1_000n,
    );
    expect(
      allocations.map((allocation) => [
        allocation.merchantId,
        allocation.limitMinor,
        allocation.squeezed,
        allocation.rank,
      ]),
    ).toEqual([
      ['m-a', 600n, false, 0],
      ['m-b', 400n, true, 1],
      ['m-c', 0n, true, 2],
    ]);
  });

  it('breaks ties by code-unit order of merchantId, not by locale', () => {
    expect(compareBudgetRank({ merchantId: 'm-B', score: 1 }, { merchantId: 'm-a', score: 1 })).toBeLessThan(
      0,
    );
  });

  it('keeps what is already lent, and shares only the headroom above all commitments', () => {
    // B owes 800 on its line: that exposure exists whatever B's limit, so A can only have the other 200.
    const allocations = allocateBudget(
      [request('m-a', 900, 1_000n), request('m-b', 500, 1_000n, 800n)],
      1_000n,
    );
    expect(limitsOf(allocations)).toEqual({ 'm-a': 200n, 'm-b': 800n });
  });

  it('over-committed (treasury cut the budget below what is lent): no new money, limits trimmed in rank order', () => {
    const allocations = allocateBudget(
      [request('m-a', 900, 1_000n), request('m-b', 500, 1_000n, 800n)],
      500n,
    );
    expect(limitsOf(allocations)).toEqual({ 'm-a': 0n, 'm-b': 500n });
  });

  it.each<[string, BudgetRequest[], bigint, string]>([
    ['a negative budget', [], -1n, 'budget must not be negative'],
    ['a merchant twice', [request('m-a', 1, 1n), request('m-a', 2, 1n)], 10n, 'a merchant appears twice'],
    ['a negative request', [request('m-a', 1, -1n)], 10n, 'negative amount'],
    ['a score out of range', [request('m-a', 1_001, 1n)], 10n, 'has score 1001'],
  ])('refuses %s', (_case, requests, budget, message) => {
    expect(() => allocateBudget(requests, budget)).toThrow(message);
  });
});

// ---- Properties

const amount = fc.bigInt({ min: 0n, max: 2_000_000n });
const requestsArbitrary = (withCommitments: boolean) =>
  fc.uniqueArray(
    fc.record({
      merchantId: fc.stringMatching(/^m-[a-f0-9]{1,4}$/),
      score: fc.integer({ min: 0, max: 1_000 }),
      requestedLimitMinor: amount,
      committedMinor: withCommitments ? fc.bigInt({ min: 0n, max: 1_000_000n }) : fc.constant(0n),
    }),
    { selector: (found) => found.merchantId, maxLength: 30 },
  );
const budgetArbitrary = fc.bigInt({ min: 0n, max: 20_000_000n });

describe('allocateBudget: properties', () => {
  it('the sum of limits never exceeds the budget, and no limit exceeds its request', () => {
    fc.assert(
      fc.property(requestsArbitrary(true), budgetArbitrary, (requests, budget) => {
        const allocations = allocateBudget(requests, budget);
        expect(sum(allocations.map((allocation) => allocation.limitMinor)) <= budget).toBe(true);
        for (const allocation of allocations)
          expect(allocation.limitMinor <= allocation.requestedLimitMinor).toBe(true);
      }),
    );
  });

  it('unless what is lent already exceeds the budget, total exposure fits too, and nobody is cut below what it owes', () => {
    fc.assert(
      fc.property(requestsArbitrary(true), budgetArbitrary, (requests, budget) => {
        fc.pre(sum(requests.map((found) => found.committedMinor)) <= budget);
        const allocations = allocateBudget(requests, budget);
        expect(
          sum(allocations.map((allocation) => maxOf(allocation.limitMinor, allocation.committedMinor))) <=
            budget,
        ).toBe(true);
        for (const allocation of allocations) {
          const owed =
            allocation.requestedLimitMinor < allocation.committedMinor
              ? allocation.requestedLimitMinor
              : allocation.committedMinor;
          expect(allocation.limitMinor >= owed).toBe(true);
        }
      }),
    );
  });

  it('of two merchants squeezed, the better-ranked never gets less', () => {
    fc.assert(
      fc.property(requestsArbitrary(false), budgetArbitrary, (requests, budget) => {
        const squeezed = allocateBudget(requests, budget).filter((allocation) => allocation.squeezed);
        for (let better = 0; better < squeezed.length; better += 1) {
          for (let worse = better + 1; worse < squeezed.length; worse += 1) {
            expect(squeezed[better]!.limitMinor >= squeezed[worse]!.limitMinor).toBe(true);
          }
        }
      }),
    );
  });

  it('with commitments, of two merchants squeezed the better-ranked never gets less new money', () => {
    fc.assert(
      fc.property(requestsArbitrary(true), budgetArbitrary, (requests, budget) => {
        // Over-committed, nobody gets new money at all.
        fc.pre(sum(requests.map((found) => found.committedMinor)) <= budget);
        const newMoney = (allocation: BudgetAllocation) => {
          const owed =
            allocation.requestedLimitMinor < allocation.committedMinor
              ? allocation.requestedLimitMinor
              : allocation.committedMinor;
          return allocation.limitMinor - owed;
        };
        const squeezed = allocateBudget(requests, budget).filter((allocation) => allocation.squeezed);
        for (let better = 0; better + 1 < squeezed.length; better += 1)
          expect(newMoney(squeezed[better]!) >= newMoney(squeezed[better + 1]!)).toBe(true);
      }),
    );
  });

  it('does not depend on the order requests arrive in', () => {
    fc.assert(
      fc.property(
        requestsArbitrary(true),
        budgetArbitrary,
        fc.func(fc.integer()),
        (requests, budget, shuffleKey) => {
          const shuffled = [...requests].sort((a, b) => shuffleKey(a.merchantId) - shuffleKey(b.merchantId));
          expect(allocateBudget(shuffled, budget)).toEqual(allocateBudget(requests, budget));
        },
      ),
    );
  });

  it("more budget never lowers anyone's limit, and a budget that covers every request squeezes nobody", () => {
    fc.assert(
      fc.property(
        requestsArbitrary(true),
        budgetArbitrary,
        fc.bigInt({ min: 0n, max: 5_000_000n }),
        (requests, budget, more) => {
          const before = limitsOf(allocateBudget(requests, budget));
          const after = limitsOf(allocateBudget(requests, budget + more));
          for (const merchantId of Object.keys(before))
            expect(after[merchantId]! >= before[merchantId]!).toBe(true);
          const everything = sum(
            requests.map((found) => maxOf(found.requestedLimitMinor, found.committedMinor)),
          );
          expect(allocateBudget(requests, everything).some((allocation) => allocation.squeezed)).toBe(false);
        },
      ),
    );
  });
});
