import { AccountCode, isAccountCode } from './accounts';

/** Why money moved: every journal entry carries one. Stable: reports and audits filter on it. */
export const ENTRY_CODES = [
  /** A drawdown committed principal to a loan and owes it to treasury to pay out. */
  'DRAWDOWN_RESERVED',
  /** Treasury paid the merchant: the loan's principal becomes a receivable. */
  'DISBURSEMENT_SETTLED',
  /** Treasury paid nothing: the commitment is reversed. */
  'DISBURSEMENT_FAILED',
  /** A day's interest on outstanding principal. */
  'INTEREST_ACCRUED',
  /** A repayment withheld from a settlement. */
  'REPAYMENT_HOLDBACK',
  /** A repayment paid through the API. */
  'REPAYMENT_MANUAL',
  /** Principal and interest given up as lost. */
  'LOAN_WRITTEN_OFF',
] as const;

export type EntryCode = (typeof ENTRY_CODES)[number];

export type Side = 'DEBIT' | 'CREDIT';

export interface JournalLine {
  readonly account: AccountCode;
  readonly side: Side;
  /** Integer minor units, > 0. */
  readonly amountMinor: bigint;
}

/** A journal entry before it is written: balanced, in one currency, immutable once posted. */
export interface JournalEntryDraft {
  /** Unique forever: posting the same key twice posts once. */
  readonly idempotencyKey: string;
  readonly code: EntryCode;
  /** ISO 4217. */
  readonly currency: string;
  /** Business time of the movement (RFC 3339). */
  readonly effectiveAt: string;
  /** The merchant and loan the entry belongs to (sub-ledger dimensions), when it has them. */
  readonly merchantId: string | null;
  readonly loanId: string | null;
  readonly lines: readonly JournalLine[];
}

export class UnbalancedEntryError extends Error {
  constructor(
    readonly idempotencyKey: string,
    detail: string,
  ) {
    super(`journal entry ${idempotencyKey} is not valid: ${detail}`);
    this.name = 'UnbalancedEntryError';
  }
}

/** Sum of debits and of credits of an entry's lines. */
export function totalsOf(lines: readonly JournalLine[]): { debitMinor: bigint; creditMinor: bigint } {
  let debitMinor = 0n;
  let creditMinor = 0n;
  for (const line of lines) {
    if (line.side === 'DEBIT') debitMinor += line.amountMinor;
    else creditMinor += line.amountMinor;
  }
  return { debitMinor, creditMinor };
}

/**
 * Throws unless the entry can be posted: at least two lines, known accounts, every amount a
 * positive bigint, a three-letter currency, and debits equal to credits. Called before an
 * entry is written and after it is read back.
 */
export function assertBalanced(entry: JournalEntryDraft): void {
  const fail = (detail: string): never => {
    throw new UnbalancedEntryError(entry.idempotencyKey, detail);
  };
  if (entry.idempotencyKey.length === 0) fail('an empty idempotency key');
  if (!/^[A-Z]{3}$/.test(entry.currency)) fail(`currency ${JSON.stringify(entry.currency)} is not ISO 4217`);
  if (entry.lines.length < 2) fail(`${entry.lines.length} line(s); an entry needs at least two`);
  for (const [index, line] of entry.lines.entries()) {
    if (!isAccountCode(line.account)) fail(`line ${index}: unknown account ${JSON.stringify(line.account)}`);
    if (line.side !== 'DEBIT' && line.side !== 'CREDIT') fail(`line ${index}: side ${String(line.side)}`);
    if (typeof line.amountMinor !== 'bigint' || line.amountMinor <= 0n)
      fail(`line ${index}: amount ${String(line.amountMinor)} is not a positive integer of minor units`);
  }
  const { debitMinor, creditMinor } = totalsOf(entry.lines);
  if (debitMinor !== creditMinor) fail(`debits ${debitMinor} ≠ credits ${creditMinor}`);
}

/** Drops zero-amount lines (a repayment with no interest part, say), keeping order. */
export const withoutZeroLines = (lines: readonly JournalLine[]): JournalLine[] =>
  lines.filter((line) => line.amountMinor !== 0n);
