/**
 * Posting journal entries on real Postgres: once per idempotency key however often and however
 * concurrently it is posted; another fact under a used key is refused and writes nothing; what
 * is read back is what was posted; a large batch takes a handful of statements.
 */
import {
  JournalConflictError,
  JournalEntryDraft,
  journalEntryDifferences,
  MAX_ENTRIES_PER_STATEMENT,
  postJournalEntries,
  postJournalEntry,
  readJournalEntries,
  readJournalEntry,
  UnbalancedEntryError,
} from '@lendstream/ledger';
import type { DataSource, EntityManager } from 'typeorm';
import { postgresErrorCode } from '../../libs/platform/src/database/adapters/connection';
import { loanEntries, newTestLoan } from './support/loan-entries';
import { LedgerTestDatabase } from './support/ledger-test-database';

jest.setTimeout(30_000);

describe('posting journal entries (real Postgres)', () => {
  let database: LedgerTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await LedgerTestDatabase.create('posting');
    dataSource = await database.connect('ledger-posting', 4);
  });

  afterAll(() => database.cleanup());

  const post = (drafts: readonly JournalEntryDraft[]) =>
    dataSource.transaction((manager) => postJournalEntries(manager, drafts));

  const countRows = async (keys: readonly string[]): Promise<{ entries: number; lines: number }> => {
    const [row]: Array<{ entries: number; lines: number }> = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM journal_entries WHERE idempotency_key = ANY ($1::text[])) AS entries,
              (SELECT count(*)::int FROM journal_lines l JOIN journal_entries e USING (entry_id)
                WHERE e.idempotency_key = ANY ($1::text[])) AS lines`,
      [keys],
    );
    return row!;
  };

  it('posts a batch, in order, and reads every entry back as it was posted', async () => {
    const loan = newTestLoan();
    const drafts = [loanEntries.drawdown(loan, 5_000n), loanEntries.settled(loan, 5_000n)];
    const outcomes = await post(drafts);
    expect(outcomes.map(({ idempotencyKey, status }) => [idempotencyKey, status])).toEqual(
      drafts.map((draft) => [draft.idempotencyKey, 'POSTED']),
    );
    for (const [index, draft] of drafts.entries()) {
      const stored = await readJournalEntry(dataSource.manager, draft.idempotencyKey);
      expect(stored).not.toBeNull();
      expect(stored!.entryId).toBe(outcomes[index]!.entryId);
      expect(journalEntryDifferences(stored!, draft)).toEqual([]);
      // Lines come back in the order they were posted, with their amounts as bigints.
      expect(stored!.lines).toEqual(draft.lines);
      expect(stored!.effectiveAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    expect(await countRows(drafts.map((draft) => draft.idempotencyKey))).toEqual({ entries: 2, lines: 6 });
    await expect(readJournalEntry(dataSource.manager, 'never-posted')).resolves.toBeNull();
  });

  it('posts and reads back a book-level entry, with no merchant and no loan', async () => {
    const draft: JournalEntryDraft = {
      ...loanEntries.accrual(newTestLoan(), 1, 3n),
      idempotencyKey: `book-level:${Date.now()}`,
      merchantId: null,
      loanId: null,
    };
    await expect(post([draft])).resolves.toEqual([expect.objectContaining({ status: 'POSTED' })]);
    const stored = await readJournalEntry(dataSource.manager, draft.idempotencyKey);
    expect(stored).toMatchObject({ merchantId: null, loanId: null });
    await expect(post([draft])).resolves.toEqual([expect.objectContaining({ status: 'ALREADY_POSTED' })]);
    await expect(post([{ ...draft, merchantId: 'm-1' }])).rejects.toThrow(JournalConflictError);
  });

  it('posts nothing for no drafts', async () => {
    await expect(post([])).resolves.toEqual([]);
  });

  it('posts an entry once when the same key is posted again, and says so', async () => {
    const loan = newTestLoan();
    const draft = loanEntries.drawdown(loan, 1_234n);
    const [first] = await post([draft]);
    const [second] = await post([draft]);
    expect(first).toMatchObject({ status: 'POSTED' });
    expect(second).toEqual({
      idempotencyKey: draft.idempotencyKey,
      entryId: first!.entryId,
      status: 'ALREADY_POSTED',
    });
    expect(await countRows([draft.idempotencyKey])).toEqual({ entries: 1, lines: 2 });
  });

  it('takes the same fact spelt differently (another UTC offset, lines in another order) as already posted', async () => {
    const loan = newTestLoan();
    const draft: JournalEntryDraft = {
      ...loanEntries.settled(loan, 800n),
      effectiveAt: '2026-05-01T00:00:00Z',
    };
    await post([draft]);
    const respelt: JournalEntryDraft = {
      ...draft,
      effectiveAt: '2026-05-01T08:00:00.000000+08:00',
      lines: [...draft.lines].reverse(),
    };
    await expect(post([respelt])).resolves.toEqual([expect.objectContaining({ status: 'ALREADY_POSTED' })]);
  });

  it('refuses another fact under a used key, naming the key, and writes nothing of that batch', async () => {
    const loan = newTestLoan();
    const draft = loanEntries.drawdown(loan, 2_000n);
    await post([draft]);
    const other = newTestLoan();
    const innocent = loanEntries.drawdown(other, 50n);
    const changed: JournalEntryDraft = {
      ...draft,
      lines: draft.lines.map((line) => ({ ...line, amountMinor: 2_001n })),
    };
    const attempt = post([innocent, changed]);
    await expect(attempt).rejects.toThrow(JournalConflictError);
    await expect(attempt).rejects.toThrow(draft.idempotencyKey);
    await expect(attempt).rejects.toThrow(/lines: stored \[.*2000.*\], posted \[.*2001.*\]/);
    expect(await countRows([innocent.idempotencyKey])).toEqual({ entries: 0, lines: 0 });
    const stored = await readJournalEntry(dataSource.manager, draft.idempotencyKey);
    expect(journalEntryDifferences(stored!, draft)).toEqual([]);
  });

  it('leaves the caller free to commit its other work after a conflict (nothing of the batch is written)', async () => {
    const loan = newTestLoan();
    const draft = loanEntries.drawdown(loan, 300n);
    await post([draft]);
    const fresh = loanEntries.drawdown(newTestLoan(), 40n);
    await dataSource.transaction(async (manager) => {
      await expect(
        postJournalEntries(manager, [fresh, { ...draft, code: 'DISBURSEMENT_FAILED' }]),
      ).rejects.toThrow(JournalConflictError);
      await postJournalEntry(manager, loanEntries.drawdown(newTestLoan(), 10n)); // the transaction still works
    });
    expect(await countRows([fresh.idempotencyKey])).toEqual({ entries: 0, lines: 0 });
  });

  it('posts a key repeated within one batch once, and refuses the batch when the repeats differ', async () => {
    const loan = newTestLoan();
    const draft = loanEntries.drawdown(loan, 77n);
    const outcomes = await post([draft, { ...draft }]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['POSTED', 'ALREADY_POSTED']);
    expect(outcomes[0]!.entryId).toBe(outcomes[1]!.entryId);

    const other = loanEntries.drawdown(newTestLoan(), 5n);
    await expect(post([other, { ...other, merchantId: 'someone-else' }])).rejects.toThrow(
      JournalConflictError,
    );
    expect(await countRows([other.idempotencyKey])).toEqual({ entries: 0, lines: 0 });
  });

  it('checks every draft before writing anything: one unbalanced draft refuses the batch', async () => {
    const good = loanEntries.drawdown(newTestLoan(), 10n);
    const unbalanced: JournalEntryDraft = {
      ...loanEntries.drawdown(newTestLoan(), 10n),
      lines: [
        { account: 'LOANS_AWAITING_DISBURSEMENT', side: 'DEBIT', amountMinor: 10n },
        { account: 'DISBURSEMENTS_PAYABLE', side: 'CREDIT', amountMinor: 9n },
      ],
    };
    await expect(post([good, unbalanced])).rejects.toThrow(UnbalancedEntryError);
    expect(await countRows([good.idempotencyKey, unbalanced.idempotencyKey])).toEqual({
      entries: 0,
      lines: 0,
    });
  });

  it('refuses to post outside a transaction, where the entry would commit without its lines', async () => {
    await expect(
      postJournalEntries(dataSource.manager, [loanEntries.drawdown(newTestLoan(), 1n)]),
    ).rejects.toThrow(/inside the caller's transaction/);
  });

  describe('two transactions posting the same key at once', () => {
    /** Posts `draft` in a transaction that holds its uncommitted entry until told to finish. */
    function holdingPost(draft: JournalEntryDraft, finish: 'commit' | 'rollback') {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let posted!: () => void;
      const hasPosted = new Promise<void>((resolve) => (posted = resolve));
      const done = dataSource.transaction(async (manager) => {
        const outcomes = await postJournalEntries(manager, [draft]);
        posted();
        await released;
        if (finish === 'rollback') throw new Error('the first poster rolls back');
        return outcomes;
      });
      return { hasPosted, release, done };
    }

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('READ COMMITTED: the second waits, then sees the first committed and reports ALREADY_POSTED', async () => {
      const draft = loanEntries.drawdown(newTestLoan(), 900n);
      const first = holdingPost(draft, 'commit');
      await first.hasPosted;
      const second = post([draft]); // blocks on the first's uncommitted key
      await sleep(150);
      first.release();
      const [[firstOutcome], [secondOutcome]] = await Promise.all([first.done, second]);
      expect(firstOutcome!.status).toBe('POSTED');
      expect(secondOutcome).toEqual({ ...firstOutcome, status: 'ALREADY_POSTED' });
      expect(await countRows([draft.idempotencyKey])).toEqual({ entries: 1, lines: 2 });
    });

    it('READ COMMITTED: the second refuses a different fact under the key the first committed', async () => {
      const draft = loanEntries.drawdown(newTestLoan(), 900n);
      const first = holdingPost(draft, 'commit');
      await first.hasPosted;
      const second = post([{ ...draft, currency: 'USD' }]);
      await sleep(150);
      first.release();
      await first.done;
      await expect(second).rejects.toThrow(JournalConflictError);
      expect(await countRows([draft.idempotencyKey])).toEqual({ entries: 1, lines: 2 });
    });

    it('the second posts the entry when the first rolls back', async () => {
      const draft = loanEntries.drawdown(newTestLoan(), 901n);
      const first = holdingPost(draft, 'rollback');
      await first.hasPosted;
      const second = post([draft]);
      await sleep(150);
      first.release();
      await expect(first.done).rejects.toThrow('rolls back');
      await expect(second).resolves.toEqual([expect.objectContaining({ status: 'POSTED' })]);
      expect(await countRows([draft.idempotencyKey])).toEqual({ entries: 1, lines: 2 });
    });

    it('REPEATABLE READ: the second fails with a serialization failure (40001); its retry reports ALREADY_POSTED', async () => {
      const draft = loanEntries.drawdown(newTestLoan(), 902n);
      const first = holdingPost(draft, 'commit');
      await first.hasPosted;
      const postRepeatableRead = () =>
        dataSource.transaction('REPEATABLE READ', async (manager: EntityManager) => {
          await manager.query('SELECT 1'); // takes the snapshot before the first commits
          return postJournalEntries(manager, [draft]);
        });
      const second = postRepeatableRead();
      await sleep(150);
      first.release();
      await first.done;
      const failure = await second.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(postgresErrorCode(failure)).toBe('40001');
      await expect(postRepeatableRead()).resolves.toEqual([
        expect.objectContaining({ status: 'ALREADY_POSTED' }),
      ]);
      expect(await countRows([draft.idempotencyKey])).toEqual({ entries: 1, lines: 2 });
    });
  });

  it(`posts ${MAX_ENTRIES_PER_STATEMENT * 2 + 100} entries in a handful of statements, and re-posts them as already posted`, async () => {
    const loans = Array.from({ length: MAX_ENTRIES_PER_STATEMENT + 50 }, () => newTestLoan());
    const drafts = loans.flatMap((loan) => [
      loanEntries.drawdown(loan, 100n),
      loanEntries.settled(loan, 100n),
    ]);
    const statements = async (work: (manager: EntityManager) => Promise<unknown>) =>
      dataSource.transaction(async (manager) => {
        const query = jest.spyOn(manager, 'query');
        await work(manager);
        const count = query.mock.calls.length;
        query.mockRestore();
        return count;
      });
    // Per chunk of MAX_ENTRIES_PER_STATEMENT: entries, lines; plus the savepoint and its release.
    const chunks = Math.ceil(drafts.length / MAX_ENTRIES_PER_STATEMENT);
    expect(await statements((manager) => postJournalEntries(manager, drafts))).toBe(chunks * 2 + 2);
    expect(await countRows(drafts.map((draft) => draft.idempotencyKey))).toEqual({
      entries: drafts.length,
      lines: drafts.length * 3,
    });
    // Again: per chunk, entries (all taken) and the read-back; no lines.
    let outcomes: Awaited<ReturnType<typeof postJournalEntries>> = [];
    expect(await statements(async (manager) => (outcomes = await postJournalEntries(manager, drafts)))).toBe(
      chunks * 2 + 2,
    );
    expect(outcomes.every((outcome) => outcome.status === 'ALREADY_POSTED')).toBe(true);
    const stored = await readJournalEntries(
      dataSource.manager,
      drafts.map((draft) => draft.idempotencyKey),
    );
    expect(stored.size).toBe(drafts.length);
  });
});
