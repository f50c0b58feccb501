import { z } from 'zod';
import { ACCOUNTS, type TrialBalance } from '@lendstream/ledger';
import { Digits } from './loan-view-schemas';

/**
 * What `GET /v1/ledger/trial-balance` answers: every account of the chart per currency, with
 * its debits, credits and natural balance, and whether debits equal credits. Money as strings
 * of digits; a balance may be negative (treasury clearing, while treasury funds the book), so it
 * carries its sign. Pure.
 */

export interface TrialBalanceAccountView {
  readonly account: string;
  readonly name: string;
  readonly type: string;
  /** The side the account's balance sits on: DEBIT for assets and expenses, CREDIT otherwise. */
  readonly normalSide: string;
  readonly debitMinor: string;
  readonly creditMinor: string;
  /** On the normal side: debits − credits, or credits − debits. */
  readonly balanceMinor: string;
}

export interface TrialBalanceView {
  /** True when every currency balances (also for an empty book). */
  readonly balanced: boolean;
  readonly currencies: ReadonlyArray<{
    readonly currency: string;
    readonly balanced: boolean;
    /** Σ debits and Σ credits of every line in the currency: equal in a balanced book. */
    readonly debitMinor: string;
    readonly creditMinor: string;
    readonly accounts: readonly TrialBalanceAccountView[];
  }>;
}

export const trialBalanceView = (trial: TrialBalance): TrialBalanceView => ({
  balanced: trial.balanced,
  currencies: trial.currencies.map((currency) => ({
    currency: currency.currency,
    balanced: currency.balanced,
    debitMinor: currency.debitMinor.toString(),
    creditMinor: currency.creditMinor.toString(),
    accounts: currency.accounts.map((account) => ({
      account: account.account,
      name: ACCOUNTS[account.account].name,
      type: ACCOUNTS[account.account].type,
      normalSide: ACCOUNTS[account.account].normal,
      debitMinor: account.debitMinor.toString(),
      creditMinor: account.creditMinor.toString(),
      balanceMinor: account.balanceMinor.toString(),
    })),
  })),
});

export const TrialBalanceViewSchema: z.ZodType<TrialBalanceView> = z.object({
  balanced: z.boolean(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      balanced: z.boolean(),
      debitMinor: Digits,
      creditMinor: Digits,
      accounts: z.array(
        z.object({
          account: z.string().describe('LOANS_RECEIVABLE, INTEREST_RECEIVABLE, TREASURY_CLEARING, …'),
          name: z.string(),
          type: z.string().describe('ASSET, LIABILITY, INCOME, EXPENSE or EQUITY'),
          normalSide: z.string().describe('DEBIT or CREDIT'),
          debitMinor: Digits,
          creditMinor: Digits,
          balanceMinor: z
            .string()
            .regex(/^-?\d+$/)
            .describe('On the normal side, minor units with a sign: only treasury clearing may be negative'),
        }),
      ),
    }),
  ),
});
