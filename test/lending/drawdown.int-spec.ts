/**
 * Drawdowns on real Postgres: a loan, its DRAWDOWN_RESERVED entry, the principal reserved on
 * the line and `disbursement.requested` in the outbox, all in one transaction; fifty drawdowns
 * at once on one line, each on its own connection, never lend more than the line had; a
 * requestId makes one loan however many times and however concurrently it is sent, and
 * another request under it is a conflict; a refusal writes nothing.
 */
import { createHash } from 'node:crypto';
import {
  DrawdownResult,
  lendingIds,
  LENDING_SOURCE,
  requestDrawdown,
  DrawdownInput,
} from '@lendstream/lending';
import type { DataSource } from 'typeorm';
import { LendingTestDatabase } from './support/lending-database';
import {
  expectBooksVerify,
  grantLine,
  journalKeysOf,
  lineOf,
  outboxEvents,
  tableCounts,
  testPolicy,
} from './support/lending-fixtures';

jest.setTimeout(120_000);

const CONCURRENT_DRAWDOWNS = 50;
const policy = testPolicy({ openLoansPerMerchantMax: 1_000 });
const REQUESTED_AT = '2026-11-11T09:30:00.000Z';

const drawdown = (
  dataSource: DataSource,
  merchantId: string,
  requestId: string,
  amountMinor: bigint,
  overrides: Partial<DrawdownInput['request']> = {},
): Promise<DrawdownResult> =>
  dataSource.transaction((manager) =>
    requestDrawdown(
      manager,
      {
        merchantId,
        requestId,
        request: { amountMinor, currency: 'CNY', termDays: 30, ...overrides },
        requestedAt: REQUESTED_AT,
      },
      policy,
    ),
  );

/** Amounts that differ from one request to the next but are the same on every run. */
const amountOf = (index: number): bigint =>
  100_000n +
  (BigInt(`0x${createHash('sha256').update(`amount-${index}`).digest('hex').slice(0, 8)}`) % 300_000n);

describe('requestDrawdown (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('drawdown');
    dataSource = await database.connect('lending-drawdown', 4);
  });

  afterAll(() => database.cleanup());

  it('makes the loan, reserves its principal, posts DRAWDOWN_RESERVED and asks treasury to pay, in one go', async () => {
    const creditLineId = await grantLine(dataSource, {
      merchantId: 'm-create',
      limitMinor: 2_650_000n,
      dailyRateBps: 3,
    });
    const result = await drawdown(dataSource, 'm-create', 'req-1', 1_000_000n);
    expect(result.kind).toBe('created');
    const loan = (result as Extract<DrawdownResult, { kind: 'created' }>).loan;
    expect(loan).toMatchObject({
      loanId: lendingIds.loan('m-create', 'req-1'),
      disbursementId: lendingIds.disbursement('m-create', 'req-1'),
      creditLineId,
      status: 'PENDING_DISBURSEMENT',
      principalMinor: 1_000_000n,
      dailyRateBps: 3,
      termDays: 30,
      requestedAt: REQUESTED_AT,
    });
    expect(await lineOf(dataSource, 'm-create')).toMatchObject({
      reservedMinor: 1_000_000n,
      outstandingMinor: 0n,
      availableMinor: 1_650_000n,
    });
    expect(await journalKeysOf(dataSource, loan.loanId)).toEqual([
      `drawdown-reserved:${loan.disbursementId}`,
    ]);
    const [event] = await outboxEvents(dataSource, 'm-create');
    expect(event).toMatchObject({
      type: 'disbursement.requested',
      source: LENDING_SOURCE,
      id: lendingIds.event('disbursement.requested', loan.disbursementId),
      time: REQUESTED_AT,
      subject: 'm-create',
      data: {
        merchantId: 'm-create',
        disbursementId: loan.disbursementId,
        loanId: loan.loanId,
        creditLineId,
        amountMinor: '1000000',
        currency: 'CNY',
        requestedAt: REQUESTED_AT,
      },
    });
    await expectBooksVerify(dataSource);
  });

  it.each([
    ['NO_CREDIT_LINE', 'm-none', undefined, {}],
    ['LINE_NOT_ACTIVE', 'm-frozen', 'FROZEN', {}],
    ['CURRENCY_MISMATCH', 'm-usd', 'ACTIVE', { currency: 'USD' }],
    ['TERM_OUT_OF_RANGE', 'm-term', 'ACTIVE', { termDays: 181 }],
    ['AMOUNT_EXCEEDS_AVAILABLE', 'm-small', 'ACTIVE', { amountMinor: 10_000_001n }],
  ] as ReadonlyArray<
    readonly [string, string, 'ACTIVE' | 'FROZEN' | undefined, Partial<DrawdownInput['request']>]
  >)('refuses with %s and writes nothing', async (code, merchantId, status, request) => {
    if (status !== undefined) await grantLine(dataSource, { merchantId, status, limitMinor: 10_000_000n });
    const before = await tableCounts(dataSource);
    const result = await drawdown(
      dataSource,
      merchantId,
      'req-refused',
      request.amountMinor ?? 100_000n,
      request,
    );
    expect(result).toMatchObject({ kind: 'refused', refusal: { code } });
    expect(await tableCounts(dataSource)).toEqual(before);
    // Nothing was kept of the refused request: the same requestId may be used once the line allows it.
    if (code === 'AMOUNT_EXCEEDS_AVAILABLE')
      expect((await drawdown(dataSource, merchantId, 'req-refused', 100_000n)).kind).toBe('created');
  });

  it(`never lends more than the line had, with ${CONCURRENT_DRAWDOWNS} drawdowns at once on separate connections`, async () => {
    const limitMinor = 5_000_000n;
    await grantLine(dataSource, { merchantId: 'm-race', limitMinor });
    const pool = await database.connect('lending-drawdown-race', CONCURRENT_DRAWDOWNS);
    const amounts = Array.from({ length: CONCURRENT_DRAWDOWNS }, (_, index) => amountOf(index));
    // Together they ask for far more than the line has.
    expect(amounts.reduce((sum, amount) => sum + amount, 0n)).toBeGreaterThan(2n * limitMinor);
    // Every connection is open before the race starts, so the drawdowns really run at once.
    await Promise.all(Array.from({ length: CONCURRENT_DRAWDOWNS }, () => pool.query('SELECT 1')));

    const results = await Promise.all(
      amounts.map((amount, index) => drawdown(pool, 'm-race', `race-${index}`, amount)),
    );

    const created = results.flatMap((result, index) => (result.kind === 'created' ? [amounts[index]!] : []));
    const refused = results.filter((result) => result.kind === 'refused');
    expect(created.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(created.length + refused.length).toBe(CONCURRENT_DRAWDOWNS);
    for (const result of refused)
      expect(result).toMatchObject({ refusal: { code: 'AMOUNT_EXCEEDS_AVAILABLE' } });
    const lent = created.reduce((sum, amount) => sum + amount, 0n);
    expect(lent).toBeLessThanOrEqual(limitMinor);
    const line = await lineOf(dataSource, 'm-race');
    expect(line.reservedMinor).toBe(lent);
    expect(line.availableMinor).toBe(limitMinor - lent);
    // Each refusal was right when it was made: the smallest refused amount did not fit what was left at the end either.
    const smallestRefused = amounts
      .filter((_, index) => results[index]!.kind === 'refused')
      .reduce((min, amount) => (amount < min ? amount : min));
    expect(smallestRefused).toBeGreaterThan(line.availableMinor);
    await expectBooksVerify(dataSource);
  });

  it('makes one loan for one requestId sent ten times at once', async () => {
    await grantLine(dataSource, { merchantId: 'm-dup' });
    const pool = await database.connect('lending-drawdown-dup', 10);
    const before = await tableCounts(dataSource);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => drawdown(pool, 'm-dup', 'same-request', 500_000n)),
    );
    expect(results.filter((result) => result.kind === 'created')).toHaveLength(1);
    expect(results.filter((result) => result.kind === 'replayed')).toHaveLength(9);
    const loanIds = new Set(
      results.map((result) =>
        result.kind === 'refused' || result.kind === 'conflict' ? null : result.loan.loanId,
      ),
    );
    expect([...loanIds]).toEqual([lendingIds.loan('m-dup', 'same-request')]);
    const after = await tableCounts(dataSource);
    expect({
      loans: after.loans - before.loans,
      entries: after.entries - before.entries,
      outbox: after.outbox - before.outbox,
    }).toEqual({
      loans: 1,
      entries: 1,
      outbox: 1,
    });
    expect((await lineOf(dataSource, 'm-dup')).reservedMinor).toBe(500_000n);
  });

  it('refuses the same requestId with another request as a conflict, and changes nothing', async () => {
    await grantLine(dataSource, { merchantId: 'm-conflict' });
    const first = await drawdown(dataSource, 'm-conflict', 'r-1', 300_000n);
    expect(first.kind).toBe('created');
    const before = await tableCounts(dataSource);
    for (const other of [{ amountMinor: 300_001n }, { termDays: 31 }] as const) {
      const again = await drawdown(dataSource, 'm-conflict', 'r-1', other.amountMinor ?? 300_000n, other);
      expect(again).toMatchObject({
        kind: 'conflict',
        refusal: { code: 'REQUEST_ID_REUSED', loanId: lendingIds.loan('m-conflict', 'r-1') },
      });
    }
    expect(await tableCounts(dataSource)).toEqual(before);
    // The same request again is the first answer, with no second effect.
    expect(await drawdown(dataSource, 'm-conflict', 'r-1', 300_000n)).toMatchObject({ kind: 'replayed' });
    expect(await tableCounts(dataSource)).toEqual(before);
    // Another merchant may use the same requestId: it is scoped to the merchant.
    await grantLine(dataSource, { merchantId: 'm-conflict-2' });
    expect((await drawdown(dataSource, 'm-conflict-2', 'r-1', 300_000n)).kind).toBe('created');
  });

  it('refuses to run outside a transaction', async () => {
    await expect(
      requestDrawdown(
        dataSource.manager,
        {
          merchantId: 'm-x',
          requestId: 'r',
          request: { amountMinor: 1n, currency: 'CNY', termDays: 30 },
          requestedAt: REQUESTED_AT,
        },
        policy,
      ),
    ).rejects.toThrow(/inside the caller's transaction/);
  });
});
