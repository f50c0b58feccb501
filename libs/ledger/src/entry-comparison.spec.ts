import { JournalConflictError, journalEntryDifferences } from './entry-comparison';
import { JournalEntryDraft } from './journal-entry';

const stored: JournalEntryDraft = {
  idempotencyKey: 'disbursement-settled:d-1',
  code: 'DISBURSEMENT_SETTLED',
  currency: 'CNY',
  effectiveAt: '2026-05-01T00:00:00.000000Z',
  merchantId: 'm-1',
  loanId: 'loan-1',
  lines: [
    { account: 'LOANS_RECEIVABLE', side: 'DEBIT', amountMinor: 500n },
    { account: 'LOANS_AWAITING_DISBURSEMENT', side: 'CREDIT', amountMinor: 500n },
    { account: 'DISBURSEMENTS_PAYABLE', side: 'DEBIT', amountMinor: 500n },
    { account: 'TREASURY_CLEARING', side: 'CREDIT', amountMinor: 500n },
  ],
};

describe('journalEntryDifferences', () => {
  it.each<[string, JournalEntryDraft]>([
    ['the entry itself', stored],
    ['its business time with an offset', { ...stored, effectiveAt: '2026-05-01T08:00:00+08:00' }],
    ['its business time with fewer fraction digits', { ...stored, effectiveAt: '2026-05-01T00:00:00Z' }],
    ['its lines in another order', { ...stored, lines: [...stored.lines].reverse() }],
  ])('finds nothing between a stored entry and %s', (_label, draft) => {
    expect(journalEntryDifferences(stored, draft)).toEqual([]);
  });

  it.each<[string, Partial<JournalEntryDraft>, string]>([
    [
      'code',
      { code: 'DISBURSEMENT_FAILED' },
      'code: stored DISBURSEMENT_SETTLED, posted DISBURSEMENT_FAILED',
    ],
    ['currency', { currency: 'USD' }, 'currency: stored CNY, posted USD'],
    [
      'business time, by a microsecond',
      { effectiveAt: '2026-05-01T00:00:00.000001Z' },
      'effectiveAt: stored 2026-05-01T00:00:00.000000Z, posted 2026-05-01T00:00:00.000001Z',
    ],
    ['merchant', { merchantId: 'm-2' }, 'merchantId: stored "m-1", posted "m-2"'],
    ['merchant, null against a string', { merchantId: null }, 'merchantId: stored "m-1", posted null'],
    ['loan, "null" against null', { loanId: 'null' }, 'loanId: stored "loan-1", posted "null"'],
  ])('names a different %s', (_label, change, difference) => {
    expect(journalEntryDifferences(stored, { ...stored, ...change })).toEqual([difference]);
  });

  it('names different lines: an amount, a side, an account, a line more', () => {
    const [first, ...rest] = stored.lines;
    for (const lines of [
      [{ ...first!, amountMinor: 501n }, ...rest],
      [{ ...first!, account: 'INTEREST_RECEIVABLE' as const }, ...rest],
      [...stored.lines, { account: 'INTEREST_RECEIVABLE' as const, side: 'DEBIT' as const, amountMinor: 1n }],
    ]) {
      const differences = journalEntryDifferences(stored, { ...stored, lines });
      expect(differences).toHaveLength(1);
      expect(differences[0]).toMatch(/^lines: stored \[.*\], posted \[.*\]$/);
    }
    const swapped = stored.lines.map(
      (line) => ({ ...line, side: line.side === 'DEBIT' ? 'CREDIT' : 'DEBIT' }) as const,
    );
    expect(journalEntryDifferences(stored, { ...stored, lines: swapped })[0]).toMatch(
      /CR LOANS_RECEIVABLE 500/,
    );
  });

  it('names every field that differs', () => {
    expect(
      journalEntryDifferences(stored, { ...stored, code: 'LOAN_WRITTEN_OFF', currency: 'USD' }),
    ).toHaveLength(2);
  });
});

describe('JournalConflictError', () => {
  it('names the key and what differs', () => {
    const error = new JournalConflictError('accrual:loan-1:2026-05-01', ['currency: stored CNY, posted USD']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('JournalConflictError');
    expect(error.idempotencyKey).toBe('accrual:loan-1:2026-05-01');
    expect(error.message).toMatch(
      /^journal entry accrual:loan-1:2026-05-01 was already posted with other content \(currency: stored CNY, posted USD\)/,
    );
  });
});
