import { DeadLetterReason } from '@lendstream/contracts';
import { validateBatchOutcome } from './batch-outcome';

const offsets = new Set(['10', '11', '12']);
const violation = { reason: DeadLetterReason.CURRENCY_MISMATCH, message: 'USD on a CNY merchant' };

describe('validateBatchOutcome', () => {
  it.each([
    ['nothing', undefined, []],
    ['null', null, []],
    ['no rejections', {}, []],
    ['an empty list', { rejected: [] }, []],
    ['one rejection', { rejected: [{ offset: '11', violation }] }, [{ offset: '11', violation }]],
  ])('accepts %s', (_name, outcome, expected) => {
    expect(validateBatchOutcome(outcome, offsets)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a number', 42, 'number'],
    ['rejected not a list', { rejected: 'all' }, 'not an array'],
    [
      'an offset outside the batch',
      { rejected: [{ offset: '99', violation }] },
      'offset 99 is not in the batch',
    ],
    [
      'the same offset twice',
      {
        rejected: [
          { offset: '10', violation },
          { offset: '10', violation },
        ],
      },
      'rejected twice',
    ],
    ['a numeric offset', { rejected: [{ offset: 10, violation }] }, 'offset is not a string'],
    ['no violation', { rejected: [{ offset: '10' }] }, 'violation is missing'],
    [
      'an invented reason',
      { rejected: [{ offset: '10', violation: { reason: 'BAD_VIBES', message: 'x' } }] },
      'not a DeadLetterReason',
    ],
    [
      'no message',
      { rejected: [{ offset: '10', violation: { reason: DeadLetterReason.CURRENCY_MISMATCH } }] },
      'message is not a string',
    ],
  ])('refuses %s', (_name, outcome, expected) => {
    const result = validateBatchOutcome(outcome, offsets);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(expected);
  });
});
