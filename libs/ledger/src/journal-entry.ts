import { AccountCode, isAccountCode } from './accounts';
import { instantProblem } from './instant';

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

export const isEntryCode = (value: string): value is EntryCode =>
  (ENTRY_CODES as readonly string[]).includes(value);

/**
 * Limits of an entry, each enforced by assertBalanced (and the text ones by the database).
 * A key holds business ids of up to 128 characters each (the contract's identifiers), e.g.
 * `holdback:<settlementId>:<loanId>`; an entry is a handful of lines, so 100 is already a bug.
 */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 512;
export const MAX_DIMENSION_ID_LENGTH = 128;
export const MAX_LINES_PER_ENTRY = 100;

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
 * Throws unless the entry can be posted: a key, a known entry code, a three-letter currency,
 * an RFC 3339 business time (at most microseconds, what Postgres keeps), merchant and loan ids that are null or 1–128 characters, at least
 * two lines (at most MAX_LINES_PER_ENTRY), known accounts, every amount a positive bigint, and
 * debits equal to credits. Called before an entry is written and after it is read back.
 */
export function assertBalanced(entry: JournalEntryDraft): void {
  const fail = (detail: string): never => {
    throw new UnbalancedEntryError(entry.idempotencyKey, detail);
  };
  if (typeof entry.idempotencyKey !== 'string' || entry.idempotencyKey.length === 0)
    fail('an empty idempotency key');
  if (entry.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    fail(
      `an idempotency key of ${entry.idempotencyKey.length} characters; at most ${MAX_IDEMPOTENCY_KEY_LENGTH}`,
    );
  if (!isEntryCode(entry.code)) fail(`unknown entry code ${JSON.stringify(entry.code)}`);
  if (!/^[A-Z]{3}$/.test(entry.currency)) fail(`currency ${JSON.stringify(entry.currency)} is not ISO 4217`);
  const effectiveAtProblem = instantProblem(entry.effectiveAt);
  if (effectiveAtProblem !== null) fail(`effectiveAt ${effectiveAtProblem}`);
  for (const dimension of ['merchantId', 'loanId'] as const) {
    const id = entry[dimension];
    if (id !== null && (typeof id !== 'string' || id.length === 0 || id.length > MAX_DIMENSION_ID_LENGTH))
      fail(`${dimension} ${JSON.stringify(id)} must be null or 1–${MAX_DIMENSION_ID_LENGTH} characters`);
  }
  if (!Array.isArray(entry.lines)) fail('no lines');
  if (entry.lines.length < 2) fail(`${entry.lines.length} line(s); an entry needs at least two`);
  if (entry.lines.length > MAX_LINES_PER_ENTRY)
    fail(`${entry.lines.length} lines; an entry has at most ${MAX_LINES_PER_ENTRY}`);
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
