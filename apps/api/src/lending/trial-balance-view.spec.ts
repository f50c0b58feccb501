import { trialBalance } from '@lendstream/ledger';
import { trialBalanceView, TrialBalanceViewSchema } from './trial-balance-view';

describe('trialBalanceView', () => {
  it('gives every account of the chart per currency, with its sign where it may be negative', () => {
    const view = trialBalanceView(
      trialBalance([
        { currency: 'CNY', account: 'LOANS_RECEIVABLE', debitMinor: 1_000_000n, creditMinor: 0n },
        { currency: 'CNY', account: 'TREASURY_CLEARING', debitMinor: 0n, creditMinor: 1_000_000n },
      ]),
    );
    expect(view.balanced).toBe(true);
    const [cny] = view.currencies;
    expect(cny).toMatchObject({
      currency: 'CNY',
      balanced: true,
      debitMinor: '1000000',
      creditMinor: '1000000',
    });
    expect(cny!.accounts.map((account) => account.account)).toContain('INTEREST_INCOME');
    expect(cny!.accounts.find((account) => account.account === 'TREASURY_CLEARING')).toEqual({
      account: 'TREASURY_CLEARING',
      name: 'Treasury clearing',
      type: 'ASSET',
      normalSide: 'DEBIT',
      debitMinor: '0',
      creditMinor: '1000000',
      balanceMinor: '-1000000',
    });
    expect(TrialBalanceViewSchema.parse(view)).toEqual(view);
  });

  it('says so when debits and credits differ', () => {
    const view = trialBalanceView(
      trialBalance([{ currency: 'USD', account: 'INTEREST_INCOME', debitMinor: 0n, creditMinor: 5n }]),
    );
    expect(view).toMatchObject({ balanced: false, currencies: [{ currency: 'USD', balanced: false }] });
  });

  it('an empty book balances, with no currency', () => {
    expect(trialBalanceView(trialBalance([]))).toEqual({ balanced: true, currencies: [] });
  });
});
