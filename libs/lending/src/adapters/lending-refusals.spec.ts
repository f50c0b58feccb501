import { DeadLetterReason } from '@lendstream/contracts';
import { violationOfRefusalRow } from './lending-refusals';

describe('violationOfRefusalRow', () => {
  it.each(Object.values(DeadLetterReason))('gives back a refusal stored as %s as it was', (reason) => {
    expect(violationOfRefusalRow({ reason, field: 'data.amountMinor', message: 'why' })).toEqual({
      reason,
      field: 'data.amountMinor',
      message: 'why',
    });
  });

  it('leaves the field out when none was stored (a whole-message fault), as the original violation did', () => {
    const violation = violationOfRefusalRow({ reason: 'UNKNOWN_DISBURSEMENT', field: null, message: 'why' });
    expect(violation).toEqual({ reason: 'UNKNOWN_DISBURSEMENT', message: 'why' });
    expect('field' in violation).toBe(false);
  });

  it.each(['', 'LOAN_EATEN', 'drawdown_refused'])(
    'throws on a reason the contract does not know: %j',
    (reason) => {
      expect(() => violationOfRefusalRow({ reason, field: null, message: 'why' })).toThrow(
        'lending_refusals holds a dlq-reason the contract does not know',
      );
    },
  );
});
