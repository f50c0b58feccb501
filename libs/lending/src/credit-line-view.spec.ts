import { applyLineChange, availableMinorOf, LinePosition, mergeLineChanges } from './credit-line-view';

const line = (overrides: Partial<LinePosition> = {}): LinePosition => ({
  creditLineId: 'cl-1',
  status: 'ACTIVE',
  limitMinor: 1_000n,
  reservedMinor: 0n,
  outstandingMinor: 0n,
  ...overrides,
});

describe('the line as lending moves it', () => {
  it.each<[string, Partial<LinePosition>, bigint]>([
    ['an untouched active line', {}, 1_000n],
    ['reserved and lent', { reservedMinor: 300n, outstandingMinor: 200n }, 500n],
    ['exactly used up', { reservedMinor: 500n, outstandingMinor: 500n }, 0n],
    ['above its limit (the underwriter cut it)', { outstandingMinor: 1_500n }, 0n],
    ['frozen', { status: 'FROZEN' }, 0n],
    ['closed', { status: 'CLOSED', limitMinor: 0n }, 0n],
  ])('available on %s', (_case, overrides, available) => {
    expect(availableMinorOf(line(overrides))).toBe(available);
  });

  it('applies a settled disbursement: reserved becomes outstanding, available unchanged', () => {
    expect(
      applyLineChange(line({ reservedMinor: 400n }), {
        creditLineId: 'cl-1',
        reservedDeltaMinor: -400n,
        outstandingDeltaMinor: 400n,
      }),
    ).toEqual({ ...line(), reservedMinor: 0n, outstandingMinor: 400n, availableMinor: 600n });
  });

  it('a repayment of principal grows available back (the line revolves)', () => {
    const repaid = applyLineChange(line({ outstandingMinor: 400n }), {
      creditLineId: 'cl-1',
      reservedDeltaMinor: 0n,
      outstandingDeltaMinor: -150n,
    });
    expect(repaid.availableMinor).toBe(750n);
  });

  it.each<[string, LinePosition, bigint, bigint, string]>([
    ['reserved below zero', line({ reservedMinor: 10n }), -11n, 0n, 'would go negative'],
    ['outstanding below zero', line({ outstandingMinor: 10n }), 0n, -11n, 'would go negative'],
  ])('refuses %s', (_case, position, reservedDelta, outstandingDelta, message) => {
    expect(() =>
      applyLineChange(position, {
        creditLineId: 'cl-1',
        reservedDeltaMinor: reservedDelta,
        outstandingDeltaMinor: outstandingDelta,
      }),
    ).toThrow(message);
  });

  it('refuses a change meant for another line', () => {
    expect(() =>
      applyLineChange(line(), { creditLineId: 'cl-2', reservedDeltaMinor: 0n, outstandingDeltaMinor: 0n }),
    ).toThrow('a change of line cl-2 applied to line cl-1');
  });

  it('merges changes per line and drops the ones that cancel out', () => {
    expect(
      mergeLineChanges([
        { creditLineId: 'cl-1', reservedDeltaMinor: 5n, outstandingDeltaMinor: 0n },
        { creditLineId: 'cl-2', reservedDeltaMinor: 0n, outstandingDeltaMinor: -3n },
        { creditLineId: 'cl-1', reservedDeltaMinor: -5n, outstandingDeltaMinor: 0n },
        { creditLineId: 'cl-2', reservedDeltaMinor: 0n, outstandingDeltaMinor: -4n },
      ]),
    ).toEqual([{ creditLineId: 'cl-2', reservedDeltaMinor: 0n, outstandingDeltaMinor: -7n }]);
  });
});
