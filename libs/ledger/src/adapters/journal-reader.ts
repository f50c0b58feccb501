import type { EntityManager } from 'typeorm';
import { AccountCode } from '../accounts';
import { PostedJournalEntry } from '../entry-comparison';
import { assertBalanced, EntryCode, JournalLine, Side } from '../journal-entry';

/** Keys per statement when reading entries back: a bounded array parameter. */
export const MAX_KEYS_PER_READ = 1_000;

/** Postgres spells an instant the way canonicalInstant does: UTC, microseconds, "Z". */
const CANONICAL_INSTANT_SQL = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface StoredEntryRow {
  readonly entry_id: string;
  readonly idempotency_key: string;
  readonly code: string;
  readonly currency: string;
  readonly effective_at: string;
  readonly merchant_id: string | null;
  readonly loan_id: string | null;
  readonly recorded_at: string;
  readonly lines: ReadonlyArray<{ account: string; side: string; amountMinor: string }>;
}

/**
 * The stored entries under these idempotency keys, each with its lines in line order, keyed
 * by idempotency key (absent: never posted). Each is checked by assertBalanced after reading:
 * an entry that does not balance in storage throws instead of being handed on.
 */
export async function readJournalEntries(
  manager: EntityManager,
  idempotencyKeys: readonly string[],
): Promise<Map<string, PostedJournalEntry>> {
  const entries = new Map<string, PostedJournalEntry>();
  const keys = [...new Set(idempotencyKeys)];
  for (let start = 0; start < keys.length; start += MAX_KEYS_PER_READ) {
    const rows: StoredEntryRow[] = await manager.query(
      `SELECT e.entry_id, e.idempotency_key, e.code, e.currency, e.merchant_id, e.loan_id,
              ${CANONICAL_INSTANT_SQL('e.effective_at')} AS effective_at,
              ${CANONICAL_INSTANT_SQL('e.recorded_at')} AS recorded_at,
              coalesce(json_agg(json_build_object('account', l.account_code, 'side', l.side,
                                                  'amountMinor', l.amount_minor::text) ORDER BY l.line_no)
                         FILTER (WHERE l.entry_id IS NOT NULL), '[]'::json) AS lines
         FROM journal_entries e
         LEFT JOIN journal_lines l ON l.entry_id = e.entry_id
        WHERE e.idempotency_key = ANY ($1::text[])
        GROUP BY e.entry_id`,
      [keys.slice(start, start + MAX_KEYS_PER_READ)],
    );
    for (const row of rows) entries.set(row.idempotency_key, postedEntryOf(row));
  }
  return entries;
}

/** The stored entry under this idempotency key, or null; asserted balanced after reading. */
export async function readJournalEntry(
  manager: EntityManager,
  idempotencyKey: string,
): Promise<PostedJournalEntry | null> {
  return (await readJournalEntries(manager, [idempotencyKey])).get(idempotencyKey) ?? null;
}

function postedEntryOf(row: StoredEntryRow): PostedJournalEntry {
  const lines: JournalLine[] = row.lines.map((line) => ({
    // assertBalanced below rejects an account or side the chart does not know.
    account: line.account as AccountCode,
    side: line.side as Side,
    amountMinor: BigInt(line.amountMinor),
  }));
  const entry: PostedJournalEntry = {
    entryId: row.entry_id,
    recordedAt: row.recorded_at,
    idempotencyKey: row.idempotency_key,
    code: row.code as EntryCode,
    currency: row.currency,
    effectiveAt: row.effective_at,
    merchantId: row.merchant_id,
    loanId: row.loan_id,
    lines,
  };
  assertBalanced(entry);
  return entry;
}
