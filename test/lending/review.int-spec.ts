/**
 * The daily review (reviewLoans) on real Postgres, with business time injected: interest of
 * every ended day, once; a second run at the same instant changes nothing; after downtime it
 * catches up every missed day; loan.overdue once per days-past-due bucket entered (a loan first
 * seen deep reports the bucket it is in, not the ones it skipped); the write-off at the
 * configured days past due, with interest stopping the day before; two runs at once share the
 * work and post nothing twice; a write-off whose line another transaction holds waits for the
 * next run instead of blocking.
 */
import { CloudEvent } from '@lendstream/contracts';
import { journalKeysOf } from './support/lending-fixtures';
import { Loan, reviewLoans, ReviewReport } from '@lendstream/lending';
import type { DataSource } from 'typeorm';
import { LendingTestDatabase } from './support/lending-database';
import {
  expectBooksVerify,
  grantLine,
  lineOf,
  loanNow,
  makeLoan,
  outboxEvents,
  tableCounts,
  testPolicy,
} from './support/lending-fixtures';

jest.setTimeout(120_000);

/** Written off at 60 days past due (configured; v1 says 90). */
const policy = testPolicy({ writeOffDaysPastDue: 60 });
const REQUESTED_AT = '2026-11-11T09:30:00.000Z';
const SETTLED_AT = '2026-11-11T09:31:00.000Z';

const loanEvents = async (dataSource: DataSource, merchantId: string): Promise<CloudEvent[]> =>
  (await outboxEvents(dataSource, merchantId)).filter((event) => event.type.startsWith('loan.'));

describe('reviewLoans (real Postgres)', () => {
  describe('one loan, day after day, then after downtime', () => {
    const merchantId = 'm-review';
    let database: LendingTestDatabase;
    let dataSource: DataSource;
    let loan: Loan;

    const review = (asOf: string): Promise<ReviewReport> =>
      reviewLoans(dataSource, asOf, { policy, chunkSize: 2 });

    beforeAll(async () => {
      database = await LendingTestDatabase.create('review');
      dataSource = await database.connect('lending-review', 4);
      await grantLine(dataSource, { merchantId, limitMinor: 5_000_000n, dailyRateBps: 2 });
      // 1,000,000 at 2 bps: 200 a day. Paid out 11 November, due 11 December (23:59:59.999Z).
      loan = await makeLoan(
        dataSource,
        {
          merchantId,
          requestId: 'r',
          amountMinor: 1_000_000n,
          requestedAt: REQUESTED_AT,
          settledAt: SETTLED_AT,
        },
        policy,
      );
    });

    afterAll(() => database.cleanup());

    it('posts every ended day once; a second run at the same instant changes nothing', async () => {
      const report = await review('2026-11-21T00:00:00.000Z');
      expect(report).toMatchObject({
        examined: 1,
        changed: 1,
        accruedDays: 10,
        overdueCount: 0,
        writtenOffCount: 0,
        complete: true,
      });
      expect(report.interestPostedMinor.get('CNY')).toBe(2_000n);
      expect(await loanNow(dataSource, loan.loanId)).toMatchObject({
        lastAccruedDay: '2026-11-20',
        interestAccruedMinor: 2_000n,
        interestOutstandingMinor: 2_000n,
      });
      const accruals = (await journalKeysOf(dataSource, loan.loanId)).filter((key) =>
        key.startsWith('accrual:'),
      );
      expect(accruals).toEqual(
        Array.from(
          { length: 10 },
          (_, day) => `accrual:${loan.loanId}:2026-11-${String(11 + day).padStart(2, '0')}`,
        ),
      );
      const before = await tableCounts(dataSource);
      expect(await review('2026-11-21T00:00:00.000Z')).toMatchObject({
        examined: 0,
        changed: 0,
        accruedDays: 0,
      });
      expect(await review('2026-11-21T23:59:59.999Z')).toMatchObject({ changed: 0 });
      expect(await tableCounts(dataSource)).toEqual(before);
      await expectBooksVerify(dataSource);
    });

    it('reports loan.overdue the day after the due day, once', async () => {
      const report = await review('2026-12-12T00:00:00.000Z');
      expect(report).toMatchObject({ accruedDays: 21, overdueCount: 1 });
      expect(report.overdue).toEqual([
        { loanId: loan.loanId, merchantId, bucket: 'DPD_1_30', daysPastDue: 1 },
      ]);
      const events = await loanEvents(dataSource, merchantId);
      expect(events.map((event) => event.type)).toEqual(['loan.activated', 'loan.overdue']);
      expect(events[1]).toMatchObject({
        time: '2026-12-12T00:00:00.000Z',
        data: {
          loanId: loan.loanId,
          daysPastDue: 1,
          accruedInterestMinor: '6200',
          outstandingPrincipalMinor: '1000000',
        },
      });
      expect(await review('2026-12-12T06:00:00.000Z')).toMatchObject({ changed: 0, overdueCount: 0 });
      expect(await review('2026-12-20T00:00:00.000Z')).toMatchObject({
        changed: 1,
        accruedDays: 8,
        overdueCount: 0,
      });
      await expectBooksVerify(dataSource);
    });

    it('catches up after downtime: every missed day, and only the bucket the loan is in now', async () => {
      // Down from 20 December to 25 January: 45 days past due.
      const report = await review('2027-01-25T00:00:00.000Z');
      expect(report).toMatchObject({ accruedDays: 36, overdueCount: 1 });
      expect(report.overdue[0]).toMatchObject({ bucket: 'DPD_31_60', daysPastDue: 45 });
      expect(await loanNow(dataSource, loan.loanId)).toMatchObject({
        lastAccruedDay: '2027-01-24',
        interestAccruedMinor: 75n * 200n,
        overdueBucketReported: 'DPD_31_60',
      });
      await expectBooksVerify(dataSource);
    });

    it('writes the loan off at the configured days past due; interest stops the day before', async () => {
      const report = await review('2027-02-09T08:00:00.000Z');
      expect(report).toMatchObject({ writtenOffCount: 1, accruedDays: 15, overdueCount: 0 });
      expect(report.writtenOff).toEqual([
        {
          loanId: loan.loanId,
          merchantId,
          currency: 'CNY',
          principalMinor: 1_000_000n,
          interestMinor: 18_000n,
          daysPastDue: 60,
        },
      ]);
      expect(await loanNow(dataSource, loan.loanId)).toMatchObject({
        status: 'WRITTEN_OFF',
        lastAccruedDay: '2027-02-08',
        principalOutstandingMinor: 0n,
        principalWrittenOffMinor: 1_000_000n,
        interestWrittenOffMinor: 18_000n,
        closedAt: '2027-02-09T08:00:00.000Z',
      });
      expect(await lineOf(dataSource, merchantId)).toMatchObject({ outstandingMinor: 0n, reservedMinor: 0n });
      const written = (await loanEvents(dataSource, merchantId)).filter(
        (event) => event.type === 'loan.written-off',
      );
      expect(written).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({
            outstandingPrincipalMinor: '1000000',
            accruedInterestMinor: '18000',
            daysPastDue: 60,
          }),
        }),
      ]);
      expect(await journalKeysOf(dataSource, loan.loanId)).toContain(`write-off:${loan.loanId}`);
      // Written off is final: later runs leave it alone.
      expect(await review('2027-06-01T00:00:00.000Z')).toMatchObject({ examined: 0 });
      await expectBooksVerify(dataSource);
    });
  });

  describe('concurrency', () => {
    let database: LendingTestDatabase;
    let dataSource: DataSource;

    beforeAll(async () => {
      database = await LendingTestDatabase.create('review_race');
      dataSource = await database.connect('lending-review-race', 4);
    });

    afterAll(() => database.cleanup());

    it('two runs at once share the work and post every day once', async () => {
      const merchants = Array.from({ length: 10 }, (_, index) => `m-race-${index}`);
      for (const merchantId of merchants) {
        await grantLine(dataSource, { merchantId, limitMinor: 10_000_000n });
        for (const requestId of ['a', 'b', 'c'])
          await makeLoan(
            dataSource,
            {
              merchantId,
              requestId,
              amountMinor: 100_000n,
              requestedAt: REQUESTED_AT,
              settledAt: SETTLED_AT,
            },
            policy,
          );
      }
      const other = await database.connect('lending-review-race-2', 4);
      const asOf = '2026-11-16T00:00:00.000Z';
      const [first, second] = await Promise.all([
        reviewLoans(dataSource, asOf, { policy, chunkSize: 4 }),
        reviewLoans(other, asOf, { policy, chunkSize: 4 }),
      ]);
      expect(first.changed + second.changed).toBe(30);
      expect(first.accruedDays + second.accruedDays).toBe(150);
      const [{ accruals }] = await dataSource.query(
        `SELECT count(*)::int AS accruals FROM journal_entries WHERE code = 'INTEREST_ACCRUED'`,
      );
      expect(accruals).toBe(150);
      expect(await reviewLoans(dataSource, asOf, { policy })).toMatchObject({ examined: 0 });
      await expectBooksVerify(dataSource);
    });

    it('leaves a write-off whose line another transaction holds for the next run, without waiting', async () => {
      const merchantId = 'm-busy';
      await grantLine(dataSource, { merchantId, limitMinor: 1_000_000n });
      const loan = await makeLoan(
        dataSource,
        {
          merchantId,
          requestId: 'busy',
          amountMinor: 200_000n,
          termDays: 7,
          requestedAt: REQUESTED_AT,
          settledAt: SETTLED_AT,
        },
        policy,
      );
      const writeOffDay = '2027-01-17T00:00:00.000Z'; // due 18 November + 60 days
      const holder = dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query(`SELECT 1 FROM credit_lines WHERE merchant_id = $1 FOR UPDATE`, [merchantId]);
        const blocked = await reviewLoans(dataSource, writeOffDay, { policy });
        expect(blocked).toMatchObject({ writtenOffCount: 0, deferred: 1 });
        expect((await loanNow(dataSource, loan.loanId)).status).toBe('ACTIVE');
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      expect(await reviewLoans(dataSource, writeOffDay, { policy })).toMatchObject({
        writtenOffCount: 1,
        deferred: 0,
      });
      expect((await loanNow(dataSource, loan.loanId)).status).toBe('WRITTEN_OFF');
      await expectBooksVerify(dataSource);
    });

    it('stops at its limit and says it is not complete', async () => {
      const report = await reviewLoans(dataSource, '2027-01-20T00:00:00.000Z', {
        policy,
        limit: 7,
        chunkSize: 3,
      });
      expect(report).toMatchObject({ examined: 7, complete: false });
      const rest = await reviewLoans(dataSource, '2027-01-20T00:00:00.000Z', { policy });
      expect(rest).toMatchObject({ examined: 23, complete: true });
    });
  });
});
