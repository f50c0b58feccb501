/**
 * Repayments on real Postgres. A settlement's holdback (order.settled through
 * handleLendingInput) takes the policy's share, capped at what is owed, and pays the oldest due
 * loan first, interest before principal, once per settlementId forever (even when nothing is
 * due), with a repayments row, a REPAYMENT_HOLDBACK entry and repayment.collected per loan
 * paid, loan.repaid and the principal back on the line when a loan is paid off. A manual
 * repayment (repayManually, the REST route's use case) pays one loan once per idempotency key
 * and refuses more than is owed.
 */
import { CloudEvent, DeadLetterReason } from '@lendstream/contracts';
import {
  findHoldback,
  handleLendingInput,
  lendingIds,
  ManualRepaymentResult,
  repayManually,
  repaymentsOfLoan,
} from '@lendstream/lending';
import type { DataSource } from 'typeorm';
import { LendingTestDatabase } from './support/lending-database';
import {
  expectBooksVerify,
  grantLine,
  journalKeysOf,
  lineOf,
  loanNow,
  makeLoan,
  outboxEvents,
  tableCounts,
  countsAfterRefusals,
  testPolicy,
} from './support/lending-fixtures';
import { orderSettledEvent } from './support/input-events';

jest.setTimeout(120_000);

const policy = testPolicy(); // 20 % holdback
const REQUESTED_AT = '2026-11-11T09:30:00.000Z';
const SETTLED_AT = '2026-11-11T09:31:00.000Z';
/** Ten days later: 11–20 November have ended, so ten days of interest are due. */
const TEN_DAYS_LATER = '2026-11-21T12:00:00.000Z';

type Data = Record<string, string | number>;
const ofType = (events: readonly CloudEvent[], type: string): Data[] =>
  events.filter((event) => event.type === type).map((event) => event.data as unknown as Data);

describe('repayments (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('repayments');
    dataSource = await database.connect('lending-repayments', 4);
  });

  afterAll(() => database.cleanup());

  describe('settlement holdbacks', () => {
    const merchantId = 'm-holdback';
    let older: string;
    let younger: string;

    beforeAll(async () => {
      await grantLine(dataSource, { merchantId, limitMinor: 10_000_000n, dailyRateBps: 2 });
      // Drawn in this order, but the 60-day loan is requested first: allocation goes by due date, not age.
      younger = (
        await makeLoan(
          dataSource,
          {
            merchantId,
            requestId: 'long',
            amountMinor: 2_000_000n,
            termDays: 60,
            requestedAt: REQUESTED_AT,
            settledAt: SETTLED_AT,
          },
          policy,
        )
      ).loanId;
      older = (
        await makeLoan(
          dataSource,
          {
            merchantId,
            requestId: 'short',
            amountMinor: 1_000_000n,
            termDays: 30,
            requestedAt: REQUESTED_AT,
            settledAt: SETTLED_AT,
          },
          policy,
        )
      ).loanId;
    });

    it('brings interest up to date, then pays the loan due first, interest before principal', async () => {
      const event = orderSettledEvent(merchantId, 'set-1', 5_000_000n, TEN_DAYS_LATER);
      expect(await handleLendingInput(dataSource, event, policy)).toMatchObject({ kind: 'applied' });

      // 20 % of 5,000,000 = 1,000,000, less than the 3,006,000 owed: the 30-day loan first,
      // its 10 days of interest (200 a day) and then 998,000 of principal.
      expect(await findHoldback(dataSource.manager, 'set-1')).toMatchObject({
        merchantId,
        holdbackMinor: 1_000_000n,
        totalDueMinor: 3_006_000n,
        settledAmountMinor: 5_000_000n,
      });
      expect(await loanNow(dataSource, older)).toMatchObject({
        status: 'ACTIVE',
        interestAccruedMinor: 2_000n,
        interestOutstandingMinor: 0n,
        interestRepaidMinor: 2_000n,
        principalOutstandingMinor: 2_000n,
        principalRepaidMinor: 998_000n,
        lastAccruedDay: '2026-11-20',
      });
      // The other loan's interest is up to date too, and it got nothing.
      expect(await loanNow(dataSource, younger)).toMatchObject({
        interestAccruedMinor: 4_000n,
        interestOutstandingMinor: 4_000n,
        principalOutstandingMinor: 2_000_000n,
      });
      expect(await lineOf(dataSource, merchantId)).toMatchObject({
        outstandingMinor: 3_000_000n - 998_000n,
        availableMinor: 10_000_000n - 2_002_000n,
      });
      const events = await outboxEvents(dataSource, merchantId);
      expect(ofType(events, 'repayment.collected')).toEqual([
        {
          merchantId,
          repaymentId: lendingIds.holdbackRepayment('set-1', older),
          loanId: older,
          amountMinor: '1000000',
          principalMinor: '998000',
          interestMinor: '2000',
          currency: 'CNY',
          source: 'SETTLEMENT_HOLDBACK',
          settlementId: 'set-1',
        },
      ]);
      expect(await journalKeysOf(dataSource, older)).toContain(`holdback:set-1:${older}`);
      expect(
        (await journalKeysOf(dataSource, younger)).filter((key) => key.startsWith('accrual:')),
      ).toHaveLength(10);
      expect(await repaymentsOfLoan(dataSource.manager, older)).toEqual([
        expect.objectContaining({
          settlementId: 'set-1',
          amountMinor: 1_000_000n,
          collectedAt: TEN_DAYS_LATER,
        }),
      ]);
      await expectBooksVerify(dataSource);
    });

    it('takes one holdback per settlementId, forever, whichever event carries it', async () => {
      const before = await tableCounts(dataSource);
      const again = orderSettledEvent(merchantId, 'set-1', 5_000_000n, TEN_DAYS_LATER);
      expect(await handleLendingInput(dataSource, again, policy)).toMatchObject({
        kind: 'applied',
        detail: expect.stringMatching(/already considered/),
      });
      expect(await handleLendingInput(dataSource, again, policy)).toEqual({ kind: 'duplicate' });
      expect(await tableCounts(dataSource)).toEqual({ ...before, inbox: before.inbox + 1 });
      // The same settlementId for another amount is not the same settlement: refused, nothing
      // written but its inbox row and its refusal.
      expect(
        await handleLendingInput(
          dataSource,
          orderSettledEvent(merchantId, 'set-1', 4_000_000n, TEN_DAYS_LATER),
          policy,
        ),
      ).toMatchObject({ kind: 'rejected', violation: { reason: DeadLetterReason.SETTLEMENT_ID_REUSED } });
      expect(await tableCounts(dataSource)).toEqual(
        countsAfterRefusals({ ...before, inbox: before.inbox + 1 }, 1),
      );
    });

    it('pays a loan off (loan.repaid, principal back on the line) and carries the rest to the next loan', async () => {
      const event = orderSettledEvent(merchantId, 'set-2', 100_000n, TEN_DAYS_LATER);
      await handleLendingInput(dataSource, event, policy);
      // 20,000: the 2,000 left on the first loan, then the second loan's 4,000 interest and 14,000 principal.
      expect(await loanNow(dataSource, older)).toMatchObject({ status: 'REPAID', closedAt: TEN_DAYS_LATER });
      expect(await loanNow(dataSource, younger)).toMatchObject({
        interestOutstandingMinor: 0n,
        principalOutstandingMinor: 1_986_000n,
      });
      const events = (await outboxEvents(dataSource, merchantId)).slice(-3);
      expect(events.map((e) => e.type)).toEqual([
        'repayment.collected',
        'loan.repaid',
        'repayment.collected',
      ]);
      expect(events[0]!.data).toMatchObject({
        loanId: older,
        amountMinor: '2000',
        principalMinor: '2000',
        interestMinor: '0',
      });
      expect(events[1]!.data).toMatchObject({
        loanId: older,
        outstandingPrincipalMinor: '0',
        accruedInterestMinor: '0',
      });
      expect(events[2]!.data).toMatchObject({
        loanId: younger,
        amountMinor: '18000',
        principalMinor: '14000',
        interestMinor: '4000',
      });
      expect(await lineOf(dataSource, merchantId)).toMatchObject({
        outstandingMinor: 1_986_000n,
        availableMinor: 10_000_000n - 1_986_000n,
      });
      await expectBooksVerify(dataSource);
    });

    it('records a settlement with nothing due, and withholds nothing', async () => {
      await grantLine(dataSource, { merchantId: 'm-debt-free' });
      const before = await tableCounts(dataSource);
      await handleLendingInput(
        dataSource,
        orderSettledEvent('m-debt-free', 'set-free', 900_000n, TEN_DAYS_LATER),
        policy,
      );
      expect(await findHoldback(dataSource.manager, 'set-free')).toMatchObject({
        holdbackMinor: 0n,
        totalDueMinor: 0n,
      });
      expect(await tableCounts(dataSource)).toEqual({
        ...before,
        holdbacks: before.holdbacks + 1,
        inbox: before.inbox + 1,
      });
      // A merchant with no line at all settles too.
      await handleLendingInput(
        dataSource,
        orderSettledEvent('m-no-line', 'set-no-line', 900_000n, TEN_DAYS_LATER),
        policy,
      );
      expect(await findHoldback(dataSource.manager, 'set-no-line')).toMatchObject({ holdbackMinor: 0n });
    });

    it('refuses a settlement in another currency than the loans as CURRENCY_MISMATCH, keeping only the refusal', async () => {
      const before = await tableCounts(dataSource);
      const usd = orderSettledEvent(merchantId, 'set-usd', 100_000n, TEN_DAYS_LATER, { currency: 'USD' });
      expect(await handleLendingInput(dataSource, usd, policy)).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.CURRENCY_MISMATCH, field: 'data.currency' },
      });
      expect(await tableCounts(dataSource)).toEqual(countsAfterRefusals(before, 1));
      expect(await findHoldback(dataSource.manager, 'set-usd')).toBeNull();
    });
  });

  describe('manual repayment', () => {
    const merchantId = 'm-manual';
    let loanId: string;

    const repay = (
      amountMinor: bigint,
      key: string,
      currency = 'CNY',
      target?: string,
    ): Promise<ManualRepaymentResult> =>
      dataSource.transaction((manager) =>
        repayManually(
          manager,
          {
            loanId: target ?? loanId,
            idempotencyKey: key,
            request: { amountMinor, currency },
            collectedAt: TEN_DAYS_LATER,
          },
          policy,
        ),
      );

    beforeAll(async () => {
      await grantLine(dataSource, { merchantId, limitMinor: 5_000_000n, dailyRateBps: 2 });
      loanId = (
        await makeLoan(
          dataSource,
          {
            merchantId,
            requestId: 'manual',
            amountMinor: 1_000_000n,
            requestedAt: REQUESTED_AT,
            settledAt: SETTLED_AT,
          },
          policy,
        )
      ).loanId;
    });

    it('refuses more than is owed, saying exactly what is owed, and writes nothing', async () => {
      const before = await tableCounts(dataSource);
      const result = await repay(1_002_001n, 'too-much');
      expect(result).toMatchObject({ kind: 'refused', refusal: { code: 'AMOUNT_EXCEEDS_DUE' } });
      expect((result as { refusal: { message: string } }).refusal.message).toContain('1002000 minor CNY');
      expect(await repay(1_000n, 'wrong-currency', 'USD')).toMatchObject({
        refusal: { code: 'CURRENCY_MISMATCH' },
      });
      expect(await repay(1_000n, 'k', 'CNY', '00000000-0000-4000-8000-000000000009')).toMatchObject({
        refusal: { code: 'LOAN_NOT_FOUND' },
      });
      expect(await tableCounts(dataSource)).toEqual(before);
    });

    it('pays interest then principal, once per idempotency key', async () => {
      const first = await repay(500_000n, 'key-1');
      expect(first).toMatchObject({
        kind: 'repaid',
        repayment: { interestMinor: 2_000n, principalMinor: 498_000n, source: 'MANUAL', settlementId: null },
      });
      const before = await tableCounts(dataSource);
      expect(await repay(500_000n, 'key-1')).toMatchObject({ kind: 'replayed' });
      expect(await repay(400_000n, 'key-1')).toMatchObject({ refusal: { code: 'REPAYMENT_KEY_REUSED' } });
      expect(await tableCounts(dataSource)).toEqual(before);
      expect(await journalKeysOf(dataSource, loanId)).toContain(
        `manual-repayment:${lendingIds.manualRepayment(loanId, 'key-1')}`,
      );
    });

    it('repays the loan in full: REPAID, loan.repaid, the principal back on the line; then refuses another', async () => {
      expect(await repay(502_000n, 'key-2')).toMatchObject({ kind: 'repaid', loan: { status: 'REPAID' } });
      expect(await lineOf(dataSource, merchantId)).toMatchObject({
        outstandingMinor: 0n,
        availableMinor: 5_000_000n,
      });
      const types = (await outboxEvents(dataSource, merchantId)).map((event) => event.type);
      expect(types.slice(-3)).toEqual(['repayment.collected', 'repayment.collected', 'loan.repaid']);
      expect(await repay(1n, 'key-3')).toMatchObject({ refusal: { code: 'ILLEGAL_TRANSITION' } });
      await expectBooksVerify(dataSource);
    });
  });
});
