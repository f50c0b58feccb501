import fc from 'fast-check';
import { accrualDaysDue, accrueOneDay, interestOverDays } from './interest';
import { roundHalfUpDivide } from './integer-math';

describe('accrueOneDay', () => {
  it.each<[string, bigint, bigint, number, bigint, bigint]>([
    // case, carry, principal, bps, interest posted, carry after
    ['a whole amount', 0n, 1_000_000n, 2, 200n, 0n],
    ['no rate', 0n, 1_000_000n, 0, 0n, 0n],
    ['no principal', 1_234n, 0n, 5, 0n, 1_234n],
    ['the smallest loan: a ten-thousandth of a fen', 0n, 1n, 1, 0n, 1n],
    ['just under half a fen', 4_998n, 1n, 1, 0n, 4_999n],
    ['exactly half a fen rounds up', 4_999n, 1n, 1, 1n, -5_000n],
    ['after rounding up, the next day pays it back', -5_000n, 1n, 1, 0n, -4_999n],
    ['3.7035 fen rounds to 4', 0n, 12_345n, 3, 4n, -2_965n],
    ['then 3.7035 − 0.2965 = 3.407 rounds to 3', -2_965n, 12_345n, 3, 3n, 4_070n],
    ['then 3.7035 + 0.407 = 4.1105 rounds to 4', 4_070n, 12_345n, 3, 4n, 1_105n],
    ['a 100 % daily rate', 0n, 777n, 10_000, 777n, 0n],
  ])('%s', (_case, carry, principal, bps, interest, carryAfter) => {
    expect(accrueOneDay(carry, principal, bps)).toEqual({
      interestMinor: interest,
      carryTenThousandths: carryAfter,
    });
  });

  it.each<[string, bigint, bigint, number, string]>([
    ['a carry of a whole half unit', 5_000n, 1n, 1, 'outside [−5000, 5000)'],
    ['a carry below −half', -5_001n, 1n, 1, 'outside [−5000, 5000)'],
    ['a negative principal', 0n, -1n, 1, 'principal must not be negative'],
    ['a fractional rate', 0n, 1n, 1.5, 'dailyRateBps'],
    ['a rate above 100 %', 0n, 1n, 10_001, 'dailyRateBps'],
  ])('refuses %s', (_case, carry, principal, bps, message) => {
    expect(() => accrueOneDay(carry, principal, bps)).toThrow(message);
  });
});

describe('interest over many days: the rounding never drifts', () => {
  /** Posts day by day, and checks each prefix against the cumulative rule. */
  function postDays(days: readonly { principal: bigint; bps: number }[]) {
    let carry = 0n;
    let postedTotal = 0n;
    let exactTenThousandths = 0n;
    const posted: bigint[] = [];
    for (const day of days) {
      const next = accrueOneDay(carry, day.principal, day.bps);
      carry = next.carryTenThousandths;
      postedTotal += next.interestMinor;
      exactTenThousandths += day.principal * BigInt(day.bps);
      posted.push(next.interestMinor);
      // The cumulative rule: the total posted is round-half-up of the exact total, after every day.
      expect(postedTotal).toBe(roundHalfUpDivide(exactTenThousandths, 10_000n));
    }
    return { posted, postedTotal, exactTenThousandths };
  }

  const days = (principal: fc.Arbitrary<bigint>, bps: fc.Arbitrary<number>, maxLength: number) =>
    fc.array(fc.record({ principal, bps }), { minLength: 1, maxLength });

  const holds = ({ posted, postedTotal, exactTenThousandths }: ReturnType<typeof postDays>) => {
    for (const amount of posted) expect(amount).toBeGreaterThanOrEqual(0n);
    // |posted − exact| ≤ half a minor unit, i.e. |10 000 × posted − exact ten-thousandths| ≤ 5 000.
    const offTenThousandths = postedTotal * 10_000n - exactTenThousandths;
    expect(offTenThousandths).toBeGreaterThanOrEqual(-5_000n);
    expect(offTenThousandths).toBeLessThanOrEqual(5_000n);
  };

  it('realistic loans: any principal path, any rate', () => {
    fc.assert(
      fc.property(
        days(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10_000 }), 400),
        (path) => holds(postDays(path)),
      ),
    );
  });

  it('tiny principals and rates, over long runs', () => {
    fc.assert(
      fc.property(days(fc.bigInt({ min: 0n, max: 20n }), fc.integer({ min: 0, max: 5 }), 1_096), (path) =>
        holds(postDays(path)),
      ),
      { numRuns: 50 },
    );
  });

  it('one fen at one basis point a day posts its first fen on day 5 000, exactly when the exact sum reaches half', () => {
    const path = Array.from({ length: 5_000 }, () => ({ principal: 1n, bps: 1 }));
    const { posted, postedTotal } = postDays(path);
    expect(postedTotal).toBe(1n);
    expect(posted.findIndex((amount) => amount > 0n)).toBe(4_999);
  });

  it('the worked example of docs/lending.md: 12 345 fen at 3 bps posts 111 fen in 30 days, not 120', () => {
    // Exact: 30 × 3.7035 = 111.105 fen. Rounding each day alone would post 4 a day.
    expect(interestOverDays(0n, 12_345n, 3, 30)).toEqual({
      interestMinor: 111n,
      carryTenThousandths: 1_050n,
    });
  });

  it('interestOverDays posts what day-by-day accrual posts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -5_000n, max: 4_999n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 200 }),
        (carry, principal, bps, count) => {
          let dayCarry = carry;
          let total = 0n;
          for (let day = 0; day < count; day += 1) {
            const next = accrueOneDay(dayCarry, principal, bps);
            dayCarry = next.carryTenThousandths;
            total += next.interestMinor;
          }
          expect(interestOverDays(carry, principal, bps, count)).toEqual({
            interestMinor: total,
            carryTenThousandths: dayCarry,
          });
        },
      ),
    );
  });

  it('interestOverDays refuses a count of days no loan has', () => {
    expect(() => interestOverDays(0n, 1n, 1, -1)).toThrow('days must be a whole number');
    expect(() => interestOverDays(0n, 1n, 1, 1_097)).toThrow('days must be a whole number');
  });
});

describe('accrualDaysDue', () => {
  it.each<[string, string, string, string | undefined, string[]]>([
    ['the disbursement day itself is not over', '2026-11-10', '2026-11-11T09:31:00.000Z', undefined, []],
    ['its last millisecond: still not over', '2026-11-10', '2026-11-11T23:59:59.999Z', undefined, []],
    [
      'the next midnight: the day is due',
      '2026-11-10',
      '2026-11-12T00:00:00.000Z',
      undefined,
      ['2026-11-11'],
    ],
    [
      'catching up after downtime, oldest first',
      '2026-11-10',
      '2026-11-14T01:00:00.000Z',
      undefined,
      ['2026-11-11', '2026-11-12', '2026-11-13'],
    ],
    ['already up to date', '2026-11-13', '2026-11-14T01:00:00.000Z', undefined, []],
    ['a clock that went back', '2026-11-13', '2026-11-02T01:00:00.000Z', undefined, []],
    [
      'stops at the last accruable day',
      '2026-11-10',
      '2026-11-20T00:00:00.000Z',
      '2026-11-12',
      ['2026-11-11', '2026-11-12'],
    ],
    ['past the last accruable day: nothing', '2026-11-12', '2026-11-20T00:00:00.000Z', '2026-11-12', []],
    [
      'across a month end, in UTC whatever the zone written',
      '2026-11-29',
      '2026-12-01T08:00:00+08:00',
      undefined,
      ['2026-11-30'],
    ],
  ])('%s', (_case, lastAccruedDay, now, lastAccruableDay, expected) => {
    expect(accrualDaysDue(lastAccruedDay, now, lastAccruableDay)).toEqual(expected);
  });

  it('lists every day once, in order, from the day after the last accrued to yesterday', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_096 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        (gap, msIntoDay) => {
          const lastEpochDay = 20_000; // 2024-10-04
          const nowMs = (lastEpochDay + gap) * 86_400_000 + msIntoDay;
          const due = accrualDaysDue(
            new Date(lastEpochDay * 86_400_000).toISOString().slice(0, 10),
            new Date(nowMs).toISOString(),
          );
          const expected = Array.from({ length: Math.max(0, gap - 1) }, (_unused, index) =>
            new Date((lastEpochDay + 1 + index) * 86_400_000).toISOString().slice(0, 10),
          );
          expect(due).toEqual(expected);
        },
      ),
    );
  });

  it('refuses to list more days than any loan can accrue (a broken clock or loan)', () => {
    expect(() => accrualDaysDue('2020-01-01', '2026-11-11T00:00:00.000Z')).toThrow(
      'no loan accrues more than 1096',
    );
  });
});
