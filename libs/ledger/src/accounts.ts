/**
 * The chart of accounts of a lender that advances money against a marketplace's receivables.
 * A balance is derived from journal lines: for a debit-normal account (assets, expenses) it is
 * debits − credits; for a credit-normal one (liabilities, income) credits − debits. A healthy
 * book has no negative natural balance except where an account says so.
 */
export const ACCOUNTS = {
  /** Asset: principal the merchants owe on active (disbursed) loans. */
  LOANS_RECEIVABLE: { type: 'ASSET', normal: 'DEBIT', name: 'Loans receivable (principal)' },
  /** Asset: principal committed to a loan whose disbursement treasury has not confirmed yet. */
  LOANS_AWAITING_DISBURSEMENT: {
    type: 'ASSET',
    normal: 'DEBIT',
    name: 'Loans awaiting disbursement',
  },
  /** Asset: interest accrued and not yet collected or written off. */
  INTEREST_RECEIVABLE: { type: 'ASSET', normal: 'DEBIT', name: 'Interest receivable' },
  /** Asset: holdbacks the settlement system withheld for us and owes to treasury. */
  SETTLEMENT_HOLDBACKS_RECEIVABLE: {
    type: 'ASSET',
    normal: 'DEBIT',
    name: 'Settlement holdbacks receivable',
  },
  /**
   * Asset: the lending funds treasury holds for us. Credited when a disbursement leaves,
   * debited when a manual repayment arrives; its balance is negative while more has been lent
   * than repaid (treasury funds the book), which is why it is a clearing account and the one
   * account whose natural balance may go negative: a negative balance is what treasury has
   * advanced to the book and not yet had back, not an error.
   */
  TREASURY_CLEARING: { type: 'ASSET', normal: 'DEBIT', name: 'Treasury clearing', mayGoNegative: true },
  /** Liability: amounts we told treasury to pay out and it has not confirmed yet. */
  DISBURSEMENTS_PAYABLE: { type: 'LIABILITY', normal: 'CREDIT', name: 'Disbursements payable' },
  /** Income: interest earned (accrued daily). */
  INTEREST_INCOME: { type: 'INCOME', normal: 'CREDIT', name: 'Interest income' },
  /** Expense: principal and interest written off as lost. */
  WRITE_OFF_EXPENSE: { type: 'EXPENSE', normal: 'DEBIT', name: 'Credit losses (write-offs)' },
} as const satisfies Record<string, AccountDefinition>;

export interface AccountDefinition {
  readonly type: 'ASSET' | 'LIABILITY' | 'INCOME' | 'EXPENSE' | 'EQUITY';
  readonly normal: 'DEBIT' | 'CREDIT';
  readonly name: string;
  /**
   * True only for a clearing account whose natural balance is negative in a healthy book;
   * everywhere else a negative natural balance is a breach (`npm run ledger -- verify`).
   */
  readonly mayGoNegative?: boolean;
}

export type AccountCode = keyof typeof ACCOUNTS;

export const ACCOUNT_CODES = Object.keys(ACCOUNTS) as AccountCode[];

export const isAccountCode = (value: string): value is AccountCode => Object.hasOwn(ACCOUNTS, value);

/** The chart's definition of an account, with the optional fields readable on every account. */
export const accountDefinition = (code: AccountCode): AccountDefinition => ACCOUNTS[code];

/** Whether the chart allows this account's natural balance to be negative (TREASURY_CLEARING only). */
export const mayGoNegative = (code: AccountCode): boolean => accountDefinition(code).mayGoNegative === true;

/**
 * An account's balance on its normal side: debits − credits for a debit-normal account,
 * credits − debits for a credit-normal one. Positive in a healthy book (see mayGoNegative).
 */
export function naturalBalance(code: AccountCode, debitMinor: bigint, creditMinor: bigint): bigint {
  return ACCOUNTS[code].normal === 'DEBIT' ? debitMinor - creditMinor : creditMinor - debitMinor;
}
