import { activeLoanFixture, pendingLoanFixture } from '../testing/loan-fixture';
import { merchantLineChanges } from './write-loan-outcomes';

describe('merchantLineChanges', () => {
  const first = activeLoanFixture({ loanId: 'loan-1' });
  const second = { ...pendingLoanFixture({ loanId: 'loan-2' }), creditLineId: 'cl-old' };

  it("adds a merchant's changes up, whichever of its lines (old or current) the loans were drawn on", () => {
    expect(
      merchantLineChanges(
        [first, second],
        [
          { creditLineId: 'cl-1', reservedDeltaMinor: 0n, outstandingDeltaMinor: -300n },
          { creditLineId: 'cl-old', reservedDeltaMinor: -1_000n, outstandingDeltaMinor: 1_000n },
        ],
      ),
    ).toEqual([{ merchantId: 'm-000042', reservedDeltaMinor: -1_000n, outstandingDeltaMinor: 700n }]);
  });

  it('refuses a change of a line no loan of the write is on', () => {
    expect(() =>
      merchantLineChanges(
        [first],
        [{ creditLineId: 'cl-9', reservedDeltaMinor: 1n, outstandingDeltaMinor: 0n }],
      ),
    ).toThrow(/cl-9/);
  });

  it('refuses one line shared by two merchants', () => {
    expect(() => merchantLineChanges([first, { ...first, loanId: 'x', merchantId: 'm-2' }], [])).toThrow(
      /belongs to m-000042 and m-2/,
    );
  });
});
