import { DRAWDOWN_REFUSAL_CODES } from '../refusal';
import { drawdownViolation } from './lending-input';

describe('drawdownViolation', () => {
  it.each(DRAWDOWN_REFUSAL_CODES.filter((code) => code !== 'CURRENCY_MISMATCH'))(
    'dead-letters %s as DRAWDOWN_REFUSED, its code first in the message',
    (code) => {
      const violation = drawdownViolation({ code, message: 'why' });
      expect(violation.reason).toBe('DRAWDOWN_REFUSED');
      expect(violation.field).toMatch(/^data\./);
      expect(violation.message).toBe(`${violation.field}: ${code}: why`);
    },
  );

  it("keeps the contract's own CURRENCY_MISMATCH", () => {
    expect(drawdownViolation({ code: 'CURRENCY_MISMATCH', message: 'USD, not CNY' })).toEqual({
      reason: 'CURRENCY_MISMATCH',
      field: 'data.currency',
      message: 'data.currency: USD, not CNY',
    });
  });
});
