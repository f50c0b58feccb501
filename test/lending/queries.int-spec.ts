/**
 * Lending's read models on real Postgres, as the ops API serves them: one loan with its
 * statement and repayments, a merchant's loans newest first in keyset pages, the portfolio
 * by status and days-past-due bucket with interest earned and losses, and each merchant's
 * lending position for the underwriter.
 */
import {
  handleLendingInput,
  lendingPositionsOf,
  loanById,
  loansOfMerchant,
  portfolioSummary,
  reviewLoans,
} from '@lendstream/lending';
import type { DataSource } from 'typeorm';
import { LendingTestDatabase } from './support/lending-database';
import { grantLine, makeLoan, testPolicy } from './support/lending-fixtures';
import { orderSettledEvent } from './support/input-events';

jest.setTimeout(120_000);

const policy = testPolicy({ writeOffDaysPastDue: 30 });
const SETTLED_AT = '2026-11-11T09:31:00.000Z';
const at = (day: number): string => `2026-11-${String(day).padStart(2, '0')}T09:30:00.000Z`;

describe('lending read models (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('queries');
    dataSource = await database.connect('lending-queries', 4);
    await grantLine(dataSource, { merchantId: 'm-q', limitMinor: 10_000_000n });
    await grantLine(dataSource, { merchantId: 'm-late', limitMinor: 10_000_000n });
    // Five loans of m-q requested a day apart (oldest first), the first four paid out.
    for (let day = 1; day <= 5; day += 1)
      await makeLoan(
        dataSource,
        {
          merchantId: 'm-q',
          requestId: `q${day}`,
          amountMinor: 100_000n * BigInt(day),
          requestedAt: at(day),
          ...(day < 5 ? { settledAt: SETTLED_AT } : {}),
        },
        policy,
      );
    // A 7-day loan due 18 November: 13 days past due on 1 December.
    await makeLoan(
      dataSource,
      {
        merchantId: 'm-late',
        requestId: 'l1',
        amountMinor: 1_000_000n,
        termDays: 7,
        requestedAt: at(1),
        settledAt: SETTLED_AT,
      },
      policy,
    );
    await handleLendingInput(
      dataSource,
      orderSettledEvent('m-q', 'set-q', 1_000_000n, '2026-11-21T00:00:00Z'),
      policy,
    );
    await reviewLoans(dataSource, '2026-12-01T00:00:00.000Z', { policy });
  });

  afterAll(() => database.cleanup());

  it('shows one loan with its statement and repayments', async () => {
    const page = await loansOfMerchant(
      dataSource.manager,
      'm-q',
      { limit: 100 },
      '2026-12-01T00:00:00Z',
      policy,
    );
    // The loans are all due the same day: the holdback paid the one first in loan id order.
    const [{ loan_id: paidId }] = await dataSource.query(
      `SELECT loan_id FROM repayments WHERE settlement_id = 'set-q' ORDER BY loan_id LIMIT 1`,
    );
    const detail = await loanById(dataSource.manager, paidId, '2026-12-01T12:00:00Z', policy);
    expect(detail).toMatchObject({
      loan: { loanId: paidId, status: 'ACTIVE' },
      statement: { daysPastDue: 0, bucket: 'CURRENT', dueAt: '2026-12-11T23:59:59.999Z' },
      repayments: [expect.objectContaining({ settlementId: 'set-q', source: 'SETTLEMENT_HOLDBACK' })],
    });
    expect(detail!.statement!.payoffTodayMinor).toBe(
      detail!.loan.principalOutstandingMinor + detail!.loan.interestOutstandingMinor,
    );
    const pending = page.items.find((item) => item.loan.status === 'PENDING_DISBURSEMENT')!;
    expect(
      await loanById(dataSource.manager, pending.loan.loanId, '2026-12-01T00:00:00Z', policy),
    ).toMatchObject({
      statement: null,
      repayments: [],
    });
    expect(await loanById(dataSource.manager, 'not-a-loan', '2026-12-01T00:00:00Z', policy)).toBeNull();
  });

  it("pages a merchant's loans newest first, without skipping or repeating", async () => {
    const now = '2026-12-01T00:00:00Z';
    const first = await loansOfMerchant(dataSource.manager, 'm-q', { limit: 2 }, now, policy);
    expect(first.items.map((item) => item.loan.principalMinor)).toEqual([500_000n, 400_000n]);
    expect(first.nextAfterLoanId).toBe(first.items[1]!.loan.loanId);
    const second = await loansOfMerchant(
      dataSource.manager,
      'm-q',
      { limit: 2, afterLoanId: first.nextAfterLoanId! },
      now,
      policy,
    );
    expect(second.items.map((item) => item.loan.principalMinor)).toEqual([300_000n, 200_000n]);
    const last = await loansOfMerchant(
      dataSource.manager,
      'm-q',
      { limit: 2, afterLoanId: second.nextAfterLoanId! },
      now,
      policy,
    );
    expect(last.items.map((item) => item.loan.principalMinor)).toEqual([100_000n]);
    expect(last.nextAfterLoanId).toBeNull();
    await expect(
      loansOfMerchant(
        dataSource.manager,
        'm-late',
        { limit: 2, afterLoanId: first.nextAfterLoanId! },
        now,
        policy,
      ),
    ).rejects.toThrow(/not a loan of merchant m-late/);
    await expect(loansOfMerchant(dataSource.manager, 'm-q', { limit: 101 }, now, policy)).rejects.toThrow(
      /limit/,
    );
  });

  it('sums the portfolio by status and days-past-due bucket, with interest earned and losses', async () => {
    const summary = await portfolioSummary(dataSource.manager, '2026-12-01T00:00:00Z');
    expect(summary.currencies.map((currency) => currency.currency)).toEqual(['CNY']);
    const cny = summary.currencies[0]!;
    expect(cny.byStatus.PENDING_DISBURSEMENT).toMatchObject({ count: 1, principalMinor: 500_000n });
    expect(cny.reservedMinor).toBe(500_000n);
    expect(cny.byStatus.ACTIVE.count).toBe(5);
    expect(cny.activeByBucket.CURRENT.count).toBe(4);
    expect(cny.activeByBucket.DPD_1_30).toMatchObject({ count: 1, outstandingPrincipalMinor: 1_000_000n });
    const [{ income }] = await dataSource.query(
      `SELECT coalesce(sum(CASE side WHEN 'CREDIT' THEN amount_minor ELSE -amount_minor END), 0)::text AS income
         FROM journal_lines WHERE account_code = 'INTEREST_INCOME'`,
    );
    expect(cny.interestEarnedMinor).toBe(BigInt(income));
    expect(cny.interestCollectedMinor).toBeGreaterThan(0n);
    expect(cny.lossesPrincipalMinor).toBe(0n);

    // At 30 days past due the late loan is written off: a loss, and out of the active buckets,
    // where m-q's loans, due 11 December, are now 7 days past due.
    await reviewLoans(dataSource, '2026-12-18T00:00:00.000Z', { policy });
    const later = (await portfolioSummary(dataSource.manager, '2026-12-18T00:00:00Z')).currencies[0]!;
    expect(later.byStatus.WRITTEN_OFF.count).toBe(1);
    expect(later.lossesPrincipalMinor).toBe(1_000_000n);
    expect(later.lossesInterestMinor).toBeGreaterThan(0n);
    expect(later.activeByBucket.DPD_1_30.count).toBe(4);
    expect(later.activeByBucket.CURRENT.count).toBe(0);
    expect(later.byStatus.ACTIVE.count).toBe(4);
  });

  it("gives the underwriter each merchant's lending position", async () => {
    const positions = await lendingPositionsOf(
      dataSource.manager,
      ['m-q', 'm-late', 'm-nobody'],
      '2026-12-01T00:00:00Z',
    );
    expect(positions.get('m-q')).toMatchObject({ reservedMinor: 500_000n, hasOverdueLoan: false });
    // Written off: nothing outstanding, and flagged for good (the underwriter freezes the line with OVERDUE_LOAN).
    expect(positions.get('m-late')).toEqual({
      outstandingMinor: 0n,
      reservedMinor: 0n,
      hasOverdueLoan: true,
    });
    const later = await lendingPositionsOf(dataSource.manager, ['m-q'], '2026-12-12T00:00:00Z');
    expect(later.get('m-q')!.hasOverdueLoan).toBe(true);
    expect(positions.get('m-nobody')).toEqual({
      outstandingMinor: 0n,
      reservedMinor: 0n,
      hasOverdueLoan: false,
    });
  });
});
