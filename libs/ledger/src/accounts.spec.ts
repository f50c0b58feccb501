import { ACCOUNT_CODES, accountDefinition, ACCOUNTS, isAccountCode, mayGoNegative } from './accounts';

describe('the chart of accounts', () => {
  it('gives every account the normal side of its type: assets and expenses debit, the rest credit', () => {
    for (const code of ACCOUNT_CODES) {
      const { type, normal } = accountDefinition(code);
      expect([code, normal]).toEqual([code, type === 'ASSET' || type === 'EXPENSE' ? 'DEBIT' : 'CREDIT']);
    }
  });

  it('lets only treasury clearing go negative', () => {
    expect(ACCOUNT_CODES.filter(mayGoNegative)).toEqual(['TREASURY_CLEARING']);
  });

  it('has every account the posting rules use', () => {
    for (const code of [
      'LOANS_RECEIVABLE',
      'LOANS_AWAITING_DISBURSEMENT',
      'INTEREST_RECEIVABLE',
      'SETTLEMENT_HOLDBACKS_RECEIVABLE',
      'TREASURY_CLEARING',
      'DISBURSEMENTS_PAYABLE',
      'INTEREST_INCOME',
      'WRITE_OFF_EXPENSE',
    ])
      expect(isAccountCode(code)).toBe(true);
  });

  it('knows its own codes only (not inherited properties)', () => {
    expect(ACCOUNT_CODES).toEqual(Object.keys(ACCOUNTS));
    for (const other of ['', 'SUSPENSE', 'loans_receivable', 'toString', '__proto__'])
      expect(isAccountCode(other)).toBe(false);
  });
});
