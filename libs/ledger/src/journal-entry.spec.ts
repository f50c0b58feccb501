import fc from 'fast-check';
import { ACCOUNT_CODES } from './accounts';
import {
  assertBalanced,
  ENTRY_CODES,
  isEntryCode,
  JournalEntryDraft,
  JournalLine,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_LINES_PER_ENTRY,
  totalsOf,
  UnbalancedEntryError,
  withoutZeroLines,
} from './journal-entry';

const valid: JournalEntryDraft = {
  idempotencyKey: 'holdback:s-1:loan-1',
  code: 'REPAYMENT_HOLDBACK',
  currency: 'CNY',
  effectiveAt: '2026-05-03T10:00:00.123Z',
  merchantId: 'm-1',
  loanId: 'loan-1',
  lines: [
    { account: 'SETTLEMENT_HOLDBACKS_RECEIVABLE', side: 'DEBIT', amountMinor: 3_100n },
    { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amountMinor: 100n },
    { account: 'LOANS_RECEIVABLE', side: 'CREDIT', amountMinor: 3_000n },
  ],
};

const pair = (amountMinor: bigint): JournalLine[] => [
  { account: 'INTEREST_RECEIVABLE', side: 'DEBIT', amountMinor },
  { account: 'INTEREST_INCOME', side: 'CREDIT', amountMinor },
];

/** Bends a draft the way a buggy caller (or a JavaScript one, without types) would. */
const bent = (change: Record<string, unknown>): JournalEntryDraft =>
  ({ ...valid, ...change }) as JournalEntryDraft;

describe('assertBalanced', () => {
  it.each<[string, JournalEntryDraft]>([
    ['a three-line holdback', valid],
    ['a book-level entry (no merchant, no loan)', { ...valid, merchantId: null, loanId: null }],
    [
      'a business time with an offset and microseconds',
      { ...valid, effectiveAt: '2026-05-03T18:00:00.123456+08:00' },
    ],
    ['a leap day', { ...valid, effectiveAt: '2028-02-29T00:00:00Z' }],
    ['the longest key', { ...valid, idempotencyKey: 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH) }],
    ['ids of 128 characters', { ...valid, merchantId: 'm'.repeat(128), loanId: 'l'.repeat(128) }],
    [
      'the most lines',
      { ...valid, lines: Array.from({ length: MAX_LINES_PER_ENTRY / 2 }, () => pair(1n)).flat() },
    ],
    ['one account on both sides', { ...valid, lines: [pair(5n)[0]!, { ...pair(5n)[0]!, side: 'CREDIT' }] }],
    ['amounts past 2^53', { ...valid, lines: pair(2n ** 62n) }],
  ])('accepts %s', (_label, draft) => {
    expect(() => assertBalanced(draft)).not.toThrow();
  });

  it.each<[string, JournalEntryDraft, RegExp]>([
    ['an empty key', bent({ idempotencyKey: '' }), /an empty idempotency key/],
    ['a key that is not a string', bent({ idempotencyKey: 42 }), /an empty idempotency key/],
    [
      'a key one character too long',
      bent({ idempotencyKey: 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1) }),
      /at most 512/,
    ],
    ['an unknown entry code', bent({ code: 'GIFT' }), /unknown entry code "GIFT"/],
    ['a lower-case currency', bent({ currency: 'cny' }), /currency "cny" is not ISO 4217/],
    ['a four-letter currency', bent({ currency: 'CNYY' }), /is not ISO 4217/],
    [
      'a date without a time',
      bent({ effectiveAt: '2026-05-03' }),
      /effectiveAt "2026-05-03" is not an RFC 3339 date-time/,
    ],
    ['a time without an offset', bent({ effectiveAt: '2026-05-03T10:00:00' }), /not an RFC 3339/],
    ['a day that does not exist', bent({ effectiveAt: '2026-02-30T00:00:00Z' }), /not an RFC 3339/],
    [
      'nanoseconds Postgres would round',
      bent({ effectiveAt: '2026-05-03T10:00:00.1234567Z' }),
      /7 fraction digits/,
    ],
    ['an empty merchant id', bent({ merchantId: '' }), /merchantId "" must be null or 1–128 characters/],
    ['a loan id of 129 characters', bent({ loanId: 'l'.repeat(129) }), /loanId .* must be null or 1–128/],
    ['no lines', bent({ lines: [] }), /0 line\(s\); an entry needs at least two/],
    ['one line', bent({ lines: [pair(1n)[0]] }), /1 line\(s\)/],
    [
      'one line too many',
      bent({
        lines: [...Array.from({ length: MAX_LINES_PER_ENTRY / 2 }, () => pair(1n)).flat(), pair(1n)[0]],
      }),
      /101 lines; an entry has at most 100/,
    ],
    [
      'an unknown account',
      bent({ lines: [pair(1n)[0], { ...pair(1n)[1], account: 'SUSPENSE' }] }),
      /line 1: unknown account "SUSPENSE"/,
    ],
    [
      'an unknown side',
      bent({ lines: [pair(1n)[0], { ...pair(1n)[1], side: 'LEFT' }] }),
      /line 1: side LEFT/,
    ],
    ['a zero amount', bent({ lines: pair(0n) }), /line 0: amount 0 is not a positive integer/],
    ['a negative amount', bent({ lines: [pair(-5n)[0], pair(5n)[1]] }), /line 0: amount -5/],
    [
      'a number instead of a bigint',
      bent({ lines: [{ ...pair(5n)[0], amountMinor: 5 }, pair(5n)[1]] }),
      /line 0: amount 5 is not/,
    ],
    [
      'debits that do not equal credits',
      bent({ lines: [...pair(5n), { account: 'INTEREST_INCOME', side: 'CREDIT', amountMinor: 1n }] }),
      /debits 5 ≠ credits 6/,
    ],
  ])('refuses %s', (_label, draft, message) => {
    const attempt = () => assertBalanced(draft);
    expect(attempt).toThrow(UnbalancedEntryError);
    expect(attempt).toThrow(message);
  });

  it('names the entry it refuses', () => {
    expect(() => assertBalanced(bent({ currency: 'xx' }))).toThrow(
      /^journal entry holdback:s-1:loan-1 is not valid: /,
    );
  });

  const lineArbitrary = fc.record({
    account: fc.constantFrom(...ACCOUNT_CODES),
    amountMinor: fc.bigInt({ min: 1n, max: 10n ** 15n }),
  });

  it('accepts any entry whose debit lines and credit lines add up to the same amount', () => {
    fc.assert(
      fc.property(
        fc.array(lineArbitrary, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(...ACCOUNT_CODES),
        (debits, creditAccount) => {
          const total = debits.reduce((sum, line) => sum + line.amountMinor, 0n);
          const lines: JournalLine[] = [
            ...debits.map((line) => ({ ...line, side: 'DEBIT' as const })),
            { account: creditAccount, side: 'CREDIT', amountMinor: total },
          ];
          expect(() => assertBalanced({ ...valid, lines })).not.toThrow();
        },
      ),
    );
  });

  it('refuses any balanced entry with one amount changed', () => {
    fc.assert(
      fc.property(
        fc.array(lineArbitrary, { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.bigInt({ min: 1n, max: 1_000n }),
        (debits, which, delta) => {
          const total = debits.reduce((sum, line) => sum + line.amountMinor, 0n);
          const lines: JournalLine[] = [
            ...debits.map((line) => ({ ...line, side: 'DEBIT' as const })),
            { account: 'TREASURY_CLEARING', side: 'CREDIT', amountMinor: total },
          ];
          const index = which % lines.length;
          const changed = lines.map((line, at) =>
            at === index ? { ...line, amountMinor: line.amountMinor + delta } : line,
          );
          expect(() => assertBalanced({ ...valid, lines: changed })).toThrow(/debits .* ≠ credits/);
        },
      ),
    );
  });
});

describe('totalsOf', () => {
  it.each<[string, JournalLine[], bigint, bigint]>([
    ['no lines', [], 0n, 0n],
    ['a holdback', [...valid.lines], 3_100n, 3_100n],
    ['debits only', [pair(3n)[0]!, pair(4n)[0]!], 7n, 0n],
    ['credits only', [pair(3n)[1]!], 0n, 3n],
  ])('adds %s', (_label, lines, debitMinor, creditMinor) => {
    expect(totalsOf(lines)).toEqual({ debitMinor, creditMinor });
  });
});

describe('withoutZeroLines', () => {
  it('drops zero amounts and keeps the rest in order', () => {
    const lines: JournalLine[] = [
      { account: 'SETTLEMENT_HOLDBACKS_RECEIVABLE', side: 'DEBIT', amountMinor: 3_000n },
      { account: 'INTEREST_RECEIVABLE', side: 'CREDIT', amountMinor: 0n },
      { account: 'LOANS_RECEIVABLE', side: 'CREDIT', amountMinor: 3_000n },
    ];
    expect(withoutZeroLines(lines)).toEqual([lines[0], lines[2]]);
    expect(withoutZeroLines([])).toEqual([]);
  });
});

describe('ENTRY_CODES', () => {
  it('are known to isEntryCode, and nothing else is', () => {
    for (const code of ENTRY_CODES) expect(isEntryCode(code)).toBe(true);
    for (const other of ['', 'drawdown_reserved', 'GIFT', 'toString']) expect(isEntryCode(other)).toBe(false);
  });
});
