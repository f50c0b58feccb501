import type { EntityManager } from 'typeorm';
import { journalEntryDifferences, JournalConflictError } from '../entry-comparison';
import { assertBalanced, JournalEntryDraft } from '../journal-entry';
import { readJournalEntries } from './journal-reader';
import { assertInsideTransaction } from './transaction-guard';

/** Entries per INSERT statement: bounded array parameters and statement size. */
export const MAX_ENTRIES_PER_STATEMENT = 500;

export interface PostingOutcome {
  readonly idempotencyKey: string;
  readonly entryId: string;
  /**
   * POSTED: this call wrote the entry. ALREADY_POSTED: an identical entry was stored under
   * the key before (or earlier in the same batch); nothing was written for it.
   */
  readonly status: 'POSTED' | 'ALREADY_POSTED';
}

/**
 * Posts journal entries inside the caller's transaction, exactly once per idempotency key,
 * and returns one outcome per draft, in the drafts' order.
 *
 * Every draft is checked by assertBalanced before anything is written. An entry whose key is
 * already stored is read back, checked by assertBalanced again, and compared with the draft:
 * the same entry (same code, currency, business time as an instant, merchant, loan, and lines
 * in any order) is ALREADY_POSTED, with no second effect; anything else throws
 * JournalConflictError naming the key. On any error the call has written nothing (it works
 * under a savepoint it rolls back to), so the caller may still commit its other work.
 *
 * A few statements per call, whatever the number of lines: per MAX_ENTRIES_PER_STATEMENT
 * drafts, one INSERT of the entries (ON CONFLICT DO NOTHING), one read of the keys that were
 * already taken (only when some were) and one INSERT of every line of the new entries; plus
 * the savepoint and its release.
 *
 * Concurrency: two transactions posting the same key at once. Postgres makes the second
 * INSERT wait for the first transaction. In READ COMMITTED (the default) the second then
 * skips the row if the first committed, reads the committed entry and reports ALREADY_POSTED
 * (or JournalConflictError if it differs); if the first rolled back, the second posts it. In
 * REPEATABLE READ or SERIALIZABLE the second fails with SQLSTATE 40001
 * (serialization_failure), as Postgres does for a conflict its snapshot cannot see: retry the
 * whole transaction, and the retry reports ALREADY_POSTED. Entries are inserted in key order,
 * so two batches sharing several keys wait on each other in the same order, not in a cycle.
 */
export async function postJournalEntries(
  manager: EntityManager,
  drafts: readonly JournalEntryDraft[],
): Promise<PostingOutcome[]> {
  assertInsideTransaction(manager, 'postJournalEntries');
  drafts.forEach(assertBalanced);
  const distinct = [...firstDraftPerKey(drafts).values()];
  if (distinct.length === 0) return [];
  // All or nothing: on any error (a conflict above all) the savepoint takes back what this
  // call wrote, and the caller's transaction stays usable (to dead-letter the input, say).
  await manager.query(`SAVEPOINT ${SAVEPOINT}`);
  let stored: Map<string, { entryId: string; posted: boolean }>;
  try {
    stored = await postDistinctEntries(manager, distinct);
  } catch (error) {
    await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`).catch(() => undefined);
    throw error;
  }
  await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  const reported = new Set<string>();
  return drafts.map((draft) => {
    const key = draft.idempotencyKey;
    const entry = stored.get(key);
    if (entry === undefined) throw new Error(`journal entry ${key} was neither posted nor found`);
    const firstMention = !reported.has(key);
    reported.add(key);
    return {
      idempotencyKey: key,
      entryId: entry.entryId,
      status: entry.posted && firstMention ? 'POSTED' : 'ALREADY_POSTED',
    };
  });
}

const SAVEPOINT = 'ledger_post_journal_entries';

/** Drafts with distinct keys → each key's entry id, and whether this call wrote it. */
async function postDistinctEntries(
  manager: EntityManager,
  drafts: readonly JournalEntryDraft[],
): Promise<Map<string, { entryId: string; posted: boolean }>> {
  const stored = new Map<string, { entryId: string; posted: boolean }>();
  for (let start = 0; start < drafts.length; start += MAX_ENTRIES_PER_STATEMENT) {
    const chunk = drafts.slice(start, start + MAX_ENTRIES_PER_STATEMENT);
    const inserted = await insertEntries(manager, chunk);
    const taken = chunk.filter((draft) => !inserted.has(draft.idempotencyKey));
    if (taken.length > 0) {
      const existing = await readJournalEntries(
        manager,
        taken.map((draft) => draft.idempotencyKey),
      );
      for (const draft of taken) {
        const entry = existing.get(draft.idempotencyKey);
        if (entry === undefined)
          throw new Error(
            `journal entry ${draft.idempotencyKey}: the key is taken but no entry can be read under it`,
          );
        assertSameEntry(entry, draft);
        stored.set(draft.idempotencyKey, { entryId: entry.entryId, posted: false });
      }
    }
    await insertLines(
      manager,
      chunk.filter((draft) => inserted.has(draft.idempotencyKey)),
      inserted,
    );
    for (const [key, entryId] of inserted) stored.set(key, { entryId, posted: true });
  }
  return stored;
}

/** Posts one entry; see postJournalEntries. */
export async function postJournalEntry(
  manager: EntityManager,
  draft: JournalEntryDraft,
): Promise<PostingOutcome> {
  const [outcome] = await postJournalEntries(manager, [draft]);
  if (outcome === undefined) throw new Error(`journal entry ${draft.idempotencyKey} got no outcome`);
  return outcome;
}

/**
 * One draft per key. The same key twice in a batch is one entry posted once, provided both
 * say the same thing; otherwise the batch is refused before anything is written.
 */
function firstDraftPerKey(drafts: readonly JournalEntryDraft[]): Map<string, JournalEntryDraft> {
  const byKey = new Map<string, JournalEntryDraft>();
  for (const draft of drafts) {
    const first = byKey.get(draft.idempotencyKey);
    if (first === undefined) byKey.set(draft.idempotencyKey, draft);
    else assertSameEntry(first, draft);
  }
  return byKey;
}

function assertSameEntry(stored: JournalEntryDraft, draft: JournalEntryDraft): void {
  const differences = journalEntryDifferences(stored, draft);
  if (differences.length > 0) throw new JournalConflictError(draft.idempotencyKey, differences);
}

/** Inserts the entries whose keys are free; returns their keys with the ids they got. */
async function insertEntries(
  manager: EntityManager,
  drafts: readonly JournalEntryDraft[],
): Promise<Map<string, string>> {
  const rows: Array<{ idempotency_key: string; entry_id: string }> = await manager.query(
    `INSERT INTO journal_entries (idempotency_key, code, currency, effective_at, merchant_id, loan_id)
     SELECT idempotency_key, code, currency, effective_at, merchant_id, loan_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
            AS draft (idempotency_key, code, currency, effective_at, merchant_id, loan_id)
      ORDER BY idempotency_key
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING idempotency_key, entry_id`,
    [
      drafts.map((draft) => draft.idempotencyKey),
      drafts.map((draft) => draft.code),
      drafts.map((draft) => draft.currency),
      drafts.map((draft) => draft.effectiveAt),
      drafts.map((draft) => draft.merchantId),
      drafts.map((draft) => draft.loanId),
    ],
  );
  return new Map(rows.map((row) => [row.idempotency_key, row.entry_id]));
}

/**
 * Every line of the new entries in one statement. Currency, merchant and loan are copied
 * from the entry row itself, so a line can never disagree with its entry.
 */
async function insertLines(
  manager: EntityManager,
  drafts: readonly JournalEntryDraft[],
  entryIds: ReadonlyMap<string, string>,
): Promise<void> {
  const lines = drafts.flatMap((draft) =>
    draft.lines.map((line, lineNo) => ({ entryId: entryIds.get(draft.idempotencyKey), lineNo, line })),
  );
  if (lines.length === 0) return;
  const [{ inserted }]: Array<{ inserted: number }> = await manager.query(
    `WITH inserted AS (
       INSERT INTO journal_lines (entry_id, line_no, account_code, side, amount_minor, currency, merchant_id, loan_id)
       SELECT entry.entry_id, line.line_no, line.account_code, line.side, line.amount_minor,
              entry.currency, entry.merchant_id, entry.loan_id
         FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::text[], $5::bigint[])
              AS line (entry_id, line_no, account_code, side, amount_minor)
         JOIN journal_entries entry ON entry.entry_id = line.entry_id
       RETURNING 1)
     SELECT count(*)::int AS inserted FROM inserted`,
    [
      lines.map(({ entryId }) => entryId),
      lines.map(({ lineNo }) => lineNo),
      lines.map(({ line }) => line.account),
      lines.map(({ line }) => line.side),
      lines.map(({ line }) => line.amountMinor.toString()),
    ],
  );
  if (inserted !== lines.length)
    throw new Error(
      `journal lines: wrote ${inserted} of ${lines.length}; an entry row went missing mid-post`,
    );
}
