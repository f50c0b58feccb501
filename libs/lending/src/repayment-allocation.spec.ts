import fc from 'fast-check';
import { allocateRepayment, compareByDueDate, holdbackFor, LoanDue } from './repayment-allocation';

const due = (
  loanId: string,
  dueAt: string,
  interestDueMinor: bigint,
  principalDueMinor: bigint,
): LoanDue => ({
  loanId,
  dueAt,
  interestDueMinor,
  principalDueMinor,
});

describe('holdbackFor', () => {
  it.each<[string, bigint, number, bigint, bigint]>([
    ['20 % of a settlement', 100_000n, 2_000, 1_000_000n, 20_000n],
    ['rounded down: 20 % of 99 999 is 19 999.8', 99_999n, 2_000, 1_000_000n, 19_999n],
    ['a settlement too small to give a fen', 4n, 2_000, 1_000_000n, 0n],
    ['capped at what is due', 100_000n, 2_000, 12_345n, 12_345n],
    ['exactly what is due', 100_000n, 2_000, 20_000n, 20_000n],
    ['one fen less due than the share', 100_000n, 2_000, 19_999n, 19_999n],
    ['nothing due', 100_000n, 2_000, 0n, 0n],
    ['a share of 0: holdbacks off', 100_000n, 0, 1_000_000n, 0n],
    ['a share of 100 %', 100_000n, 10_000, 1_000_000n, 100_000n],
  ])('%s', (_case, settled, shareBps, totalDue, holdback) => {
    expect(holdbackFor(settled, shareBps, totalDue)).toBe(holdback);
  });

  it('never takes more than the share, nor more than is due', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        (settled, shareBps, totalDue) => {
          const holdback = holdbackFor(settled, shareBps, totalDue);
          expect(holdback * 10_000n).toBeLessThanOrEqual(settled * BigInt(shareBps));
          expect(holdback).toBeLessThanOrEqual(totalDue);
          expect(holdback).toBeGreaterThanOrEqual(0n);
          // And it is the largest amount that obeys both.
          if (holdback < totalDue)
            expect((holdback + 1n) * 10_000n).toBeGreaterThan(settled * BigInt(shareBps));
        },
      ),
    );
  });

  it.each<[bigint, number, bigint]>([
    [-1n, 2_000, 0n],
    [1n, 10_001, 0n],
    [1n, 2_000, -1n],
  ])('refuses settled %s, share %i, due %s', (settled, shareBps, totalDue) => {
    expect(() => holdbackFor(settled, shareBps, totalDue)).toThrow(RangeError);
  });
});

describe('allocateRepayment: examples', () => {
  const older = due('loan-b', '2026-12-01T23:59:59.999Z', 300n, 10_000n);
  const newer = due('loan-a', '2026-12-20T23:59:59.999Z', 500n, 20_000n);

  it.each<[string, bigint, { loanId: string; interestMinor: bigint; principalMinor: bigint }[], bigint]>([
    ['nothing to allocate', 0n, [], 0n],
    [
      'less than the oldest loan’s interest',
      200n,
      [{ loanId: 'loan-b', interestMinor: 200n, principalMinor: 0n }],
      0n,
    ],
    [
      'exactly the oldest loan’s interest',
      300n,
      [{ loanId: 'loan-b', interestMinor: 300n, principalMinor: 0n }],
      0n,
    ],
    [
      'into the oldest loan’s principal',
      5_300n,
      [{ loanId: 'loan-b', interestMinor: 300n, principalMinor: 5_000n }],
      0n,
    ],
    [
      'the oldest loan in full, then the next one’s interest',
      10_700n,
      [
        { loanId: 'loan-b', interestMinor: 300n, principalMinor: 10_000n },
        { loanId: 'loan-a', interestMinor: 400n, principalMinor: 0n },
      ],
      0n,
    ],
    [
      'everything, exactly',
      30_800n,
      [
        { loanId: 'loan-b', interestMinor: 300n, principalMinor: 10_000n },
        { loanId: 'loan-a', interestMinor: 500n, principalMinor: 20_000n },
      ],
      0n,
    ],
    [
      'more than everything: the rest is unapplied',
      30_801n,
      [
        { loanId: 'loan-b', interestMinor: 300n, principalMinor: 10_000n },
        { loanId: 'loan-a', interestMinor: 500n, principalMinor: 20_000n },
      ],
      1n,
    ],
  ])('%s', (_case, amount, allocations, unapplied) => {
    // Given newest first: the order of the input does not matter, the due dates do.
    expect(allocateRepayment(amount, [newer, older])).toEqual({ allocations, unappliedMinor: unapplied });
  });

  it('pays loans due at the same instant in loan id order', () => {
    const sameDay = '2026-12-01T23:59:59.999Z';
    const allocation = allocateRepayment(150n, [
      due('loan-z', sameDay, 100n, 0n),
      due('loan-B', sameDay, 100n, 0n),
    ]);
    // Code-unit order: 'B' (0x42) sorts before 'z' (0x7a), whatever the locale says.
    expect(allocation.allocations.map((each) => each.loanId)).toEqual(['loan-B', 'loan-z']);
  });

  it('orders by instant, not by text: a due date written in another zone', () => {
    const earlier = due('loan-2', '2026-12-02T07:00:00+08:00', 100n, 0n); // 2026-12-01T23:00Z
    const later = due('loan-1', '2026-12-01T23:59:59.999Z', 100n, 0n);
    expect(compareByDueDate(earlier, later)).toBeLessThan(0);
  });

  it('skips a loan that owes nothing', () => {
    expect(
      allocateRepayment(50n, [
        due('loan-1', '2026-12-01T00:00:00Z', 0n, 0n),
        due('loan-2', '2026-12-02T00:00:00Z', 0n, 80n),
      ]),
    ).toEqual({
      allocations: [{ loanId: 'loan-2', interestMinor: 0n, principalMinor: 50n }],
      unappliedMinor: 0n,
    });
  });

  it.each<[string, bigint, LoanDue[], string]>([
    ['a negative amount', -1n, [], 'must not be negative'],
    ['a loan twice', 1n, [older, older], 'appears twice'],
    [
      'a negative due, even after the money runs out',
      1n,
      [older, due('loan-x', '2027-01-01T00:00:00Z', -1n, 0n)],
      'owes a negative amount',
    ],
  ])('refuses %s', (_case, amount, dues, message) => {
    expect(() => allocateRepayment(amount, dues)).toThrow(message);
  });
});

describe('allocateRepayment: properties', () => {
  const dueArbitrary = fc.record({
    dueAt: fc
      .integer({ min: 0, max: 40 })
      .map((day) => new Date(Date.UTC(2026, 10, 1 + day, 23, 59, 59, 999)).toISOString()),
    interestDueMinor: fc.bigInt({ min: 0n, max: 5_000n }),
    principalDueMinor: fc.bigInt({ min: 0n, max: 100_000n }),
  });
  const duesArbitrary = fc
    .uniqueArray(fc.stringMatching(/^loan-[a-zA-Z0-9]{1,3}$/), { maxLength: 8 })
    .chain((ids) => fc.tuple(...ids.map((loanId) => dueArbitrary.map((rest) => ({ loanId, ...rest })))));
  const scenario = duesArbitrary.chain((dues) => {
    const owed = dues.reduce((total, each) => total + each.interestDueMinor + each.principalDueMinor, 0n);
    return fc.tuple(fc.constant(dues as LoanDue[]), fc.bigInt({ min: 0n, max: owed + 1_000n }));
  });

  it('conserves money, never overpays, pays interest before principal and the oldest loan first', () => {
    fc.assert(
      fc.property(scenario, ([dues, amount]) => {
        const { allocations, unappliedMinor } = allocateRepayment(amount, dues);
        const byId = new Map(dues.map((each) => [each.loanId, each]));
        const allocated = allocations.reduce(
          (total, each) => total + each.interestMinor + each.principalMinor,
          0n,
        );
        // Conservation: Σ allocated + remainder = amount.
        expect(allocated + unappliedMinor).toBe(amount);
        for (const allocation of allocations) {
          const owed = byId.get(allocation.loanId)!;
          expect(allocation.interestMinor).toBeGreaterThanOrEqual(0n);
          expect(allocation.principalMinor).toBeGreaterThanOrEqual(0n);
          expect(allocation.interestMinor).toBeLessThanOrEqual(owed.interestDueMinor);
          expect(allocation.principalMinor).toBeLessThanOrEqual(owed.principalDueMinor);
          // Interest before principal: no principal while interest of that loan is left unpaid.
          if (allocation.principalMinor > 0n) expect(allocation.interestMinor).toBe(owed.interestDueMinor);
        }
        // Oldest first: a loan is paid only when every loan due before it is paid in full.
        const ordered = [...dues].sort(compareByDueDate);
        const paid = new Map(
          allocations.map((each) => [each.loanId, each.interestMinor + each.principalMinor]),
        );
        let fullyPaidSoFar = true;
        for (const owed of ordered) {
          const total = owed.interestDueMinor + owed.principalDueMinor;
          if (!fullyPaidSoFar) expect(paid.get(owed.loanId) ?? 0n).toBe(0n);
          if ((paid.get(owed.loanId) ?? 0n) < total) fullyPaidSoFar = false;
        }
        // A remainder only once everything is paid.
        const owedTotal = dues.reduce(
          (total, each) => total + each.interestDueMinor + each.principalDueMinor,
          0n,
        );
        expect(unappliedMinor).toBe(amount > owedTotal ? amount - owedTotal : 0n);
      }),
    );
  });
});
