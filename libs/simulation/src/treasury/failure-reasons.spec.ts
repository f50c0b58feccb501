import {
  DISBURSEMENT_FAILURE_REASONS,
  FAILURE_REASON_TOTAL_WEIGHT,
  failureReasonAt,
} from './failure-reasons';

describe('failureReasonAt', () => {
  it('maps the rolls onto the reasons by weight, each reason a contiguous run', () => {
    expect(FAILURE_REASON_TOTAL_WEIGHT).toBe(100);
    const counts = new Map<string, number>();
    for (let roll = 0; roll < FAILURE_REASON_TOTAL_WEIGHT; roll += 1) {
      const reason = failureReasonAt(roll);
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(DISBURSEMENT_FAILURE_REASONS));
    expect([failureReasonAt(0), failureReasonAt(39), failureReasonAt(40), failureReasonAt(99)]).toEqual([
      'BANK_REJECTED',
      'BANK_REJECTED',
      'ACCOUNT_CLOSED',
      'ACCOUNT_NAME_MISMATCH',
    ]);
  });

  it('gives stable codes a person can act on', () => {
    for (const [reason] of DISBURSEMENT_FAILURE_REASONS) expect(reason).toMatch(/^[A-Z][A-Z_]{2,63}$/);
  });

  it.each([-1, 100, 1.5, Number.NaN])('refuses the roll %p', (roll) => {
    expect(() => failureReasonAt(roll)).toThrow(RangeError);
  });
});
