/**
 * Whether a draft is the entry already stored under its idempotency key. Posting the same
 * business fact twice (a redelivered event, a retried request) must post once; posting a
 * different fact under a key already used is a bug in the caller's key, and must never be
 * absorbed silently as "already posted" (the second fact would be lost from the books).
 */
import { canonicalInstant } from './instant';
import { JournalEntryDraft, JournalLine } from './journal-entry';

/** An entry as it is stored: its draft plus what the database gave it. */
export interface PostedJournalEntry extends JournalEntryDraft {
  readonly entryId: string;
  /** When the row was written (database clock), canonical RFC 3339. */
  readonly recordedAt: string;
}

const lineText = (line: JournalLine): string =>
  `${line.side === 'DEBIT' ? 'DR' : 'CR'} ${line.account} ${line.amountMinor}`;

/**
 * Lines as a sorted list: the order lines were written in says nothing about the money, so an
 * entry whose lines come in another order is the same entry.
 */
const linesInCanonicalOrder = (lines: readonly JournalLine[]): string[] => lines.map(lineText).sort();

/**
 * Where `draft` differs from `stored`, one phrase per field ("code: stored X, posted Y");
 * empty when they are the same entry. Business times are compared as instants (any offset,
 * any number of fraction digits Postgres keeps), lines as a multiset. Both must have passed
 * assertBalanced.
 */
export function journalEntryDifferences(stored: JournalEntryDraft, draft: JournalEntryDraft): string[] {
  const differences: string[] = [];
  const compare = (field: string, storedValue: string, draftValue: string): void => {
    if (storedValue !== draftValue) differences.push(`${field}: stored ${storedValue}, posted ${draftValue}`);
  };
  compare('code', stored.code, draft.code);
  compare('currency', stored.currency, draft.currency);
  compare('effectiveAt', canonicalInstant(stored.effectiveAt), canonicalInstant(draft.effectiveAt));
  compare('merchantId', JSON.stringify(stored.merchantId), JSON.stringify(draft.merchantId));
  compare('loanId', JSON.stringify(stored.loanId), JSON.stringify(draft.loanId));
  compare(
    'lines',
    `[${linesInCanonicalOrder(stored.lines).join(', ')}]`,
    `[${linesInCanonicalOrder(draft.lines).join(', ')}]`,
  );
  return differences;
}

/** The same idempotency key posted with other content: the caller's key does not identify one fact. */
export class JournalConflictError extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly differences: readonly string[],
  ) {
    super(
      `journal entry ${idempotencyKey} was already posted with other content (${differences.join('; ')}); ` +
        'an idempotency key names one business fact forever',
    );
    this.name = 'JournalConflictError';
  }
}
