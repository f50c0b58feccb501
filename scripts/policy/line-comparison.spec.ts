import { compareLineOf, GroupDiffTally, medianOf } from './line-comparison';

const line = (status: string, limitMinor: string, dailyRateBps: number, currency = 'CNY') => ({
  status,
  limitMinor,
  dailyRateBps,
  currency,
});

describe('compareLineOf', () => {
  it('grants only an active line with a positive limit', () => {
    expect(compareLineOf(line('ACTIVE', '500', 7))).toEqual({
      granted: true,
      lendingLimitMinor: 500n,
      dailyRateBps: 7,
      currency: 'CNY',
    });
    expect(compareLineOf(line('ACTIVE', '0', 7)).granted).toBe(false);
    expect(compareLineOf(line('FROZEN', '500', 7))).toMatchObject({ granted: false, lendingLimitMinor: 0n });
    expect(compareLineOf(null)).toMatchObject({ granted: false, lendingLimitMinor: 0n, dailyRateBps: null });
  });

  it('refuses a limit that is not a string of digits', () => {
    expect(() => compareLineOf({ ...line('ACTIVE', '1', 1), limitMinor: 1.5 })).toThrow(RangeError);
  });
});

describe('medianOf', () => {
  it.each([
    [[], 0n],
    [[5n], 5n],
    [[3n, -1n, 10n], 3n],
    [[1n, 2n], 1n],
    [[-3n, -2n], -2n],
  ])('of %p is %p', (values, median) => expect(medianOf(values)).toBe(median));
});

describe('GroupDiffTally', () => {
  it('counts flips both ways, limit moves in bigint and rate moves only where both lend', () => {
    const tally = new GroupDiffTally('steady');
    tally.add(compareLineOf(line('ACTIVE', '1000', 10)), compareLineOf(line('ACTIVE', '1500', 8)));
    tally.add(compareLineOf(line('ACTIVE', '1000', 10)), compareLineOf(null));
    tally.add(compareLineOf(null), compareLineOf(line('ACTIVE', '200', 12)));
    tally.add(compareLineOf(null), compareLineOf(null));
    expect(tally.result()).toEqual({
      group: 'steady',
      currency: 'CNY',
      mixedCurrencies: false,
      pairs: 4,
      grantedByBoth: 1,
      declinedByBoth: 1,
      flipsToGranted: 1,
      flipsToDeclined: 1,
      limitsUp: 2,
      limitsDown: 1,
      limitDeltaTotalMinor: 500n - 1000n + 200n,
      limitDeltaMedianMinor: 200n,
      ratesUp: 0,
      ratesDown: 1,
    });
  });
});
