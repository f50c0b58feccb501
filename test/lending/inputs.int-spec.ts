/**
 * Lending's Kafka inputs applied to real Postgres through handleLendingInput (what the app's
 * consumer calls for each message): treasury's answers activate or cancel a loan once, a
 * redelivered or re-published answer changes nothing, a contradicting or unknown one is
 * refused with nothing written (the consumer dead-letters it); drawdown requests from the
 * portal make a loan once or are refused with a stable dlq-reason; order types lending does not
 * act on are ignored.
 */
import { DeadLetterReason } from '@lendstream/contracts';
import {
  findLoan,
  handleLendingInput,
  lendingIds,
  LendingInputOutcome,
  Loan,
  requestDrawdown,
} from '@lendstream/lending';
import { purgeInbox } from '@lendstream/messaging';
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
  countsAfterRefusals,
} from './support/lending-fixtures';
import { drawdownRequestedEvent, failedEvent, orderSettledEvent, settledEvent } from './support/input-events';

jest.setTimeout(120_000);

const policy = testPolicy();
const REQUESTED_AT = '2026-11-11T09:30:00.000Z';
const SETTLED_AT = '2026-11-11T09:31:00.000Z';

describe('handleLendingInput (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('inputs');
    dataSource = await database.connect('lending-inputs', 4);
  });

  afterAll(() => database.cleanup());

  const apply = (event: Parameters<typeof handleLendingInput>[1]): Promise<LendingInputOutcome> =>
    handleLendingInput(dataSource, event, policy);

  async function pendingLoan(merchantId: string, amountMinor = 1_000_000n): Promise<Loan> {
    await grantLine(dataSource, { merchantId, limitMinor: 5_000_000n });
    const result = await dataSource.transaction((manager) =>
      requestDrawdown(
        manager,
        {
          merchantId,
          requestId: `req-${merchantId}`,
          request: { amountMinor, currency: 'CNY', termDays: 30 },
          requestedAt: REQUESTED_AT,
        },
        policy,
      ),
    );
    if (result.kind !== 'created') throw new Error(`drawdown ${result.kind}`);
    return result.loan;
  }

  const loanNow = async (loanId: string): Promise<Loan> => (await findLoan(dataSource.manager, loanId))!.loan;

  describe('disbursement.settled', () => {
    it('activates the loan, posts the journal, moves reserved to outstanding and emits loan.activated, once', async () => {
      const loan = await pendingLoan('m-settle');
      const event = settledEvent('m-settle', loan.disbursementId, SETTLED_AT, 'tr-1');
      expect(await apply(event)).toMatchObject({ kind: 'applied' });

      expect(await loanNow(loan.loanId)).toMatchObject({
        status: 'ACTIVE',
        disbursedAt: SETTLED_AT,
        treasuryRef: 'tr-1',
        dueAt: '2026-12-11T23:59:59.999Z',
        principalOutstandingMinor: 1_000_000n,
        lastAccruedDay: '2026-11-10',
      });
      expect(await lineOf(dataSource, 'm-settle')).toMatchObject({
        reservedMinor: 0n,
        outstandingMinor: 1_000_000n,
        availableMinor: 4_000_000n,
      });
      expect(await journalKeysOf(dataSource, loan.loanId)).toEqual([
        `drawdown-reserved:${loan.disbursementId}`,
        `disbursement-settled:${loan.disbursementId}`,
      ]);
      const activated = (await outboxEvents(dataSource, 'm-settle')).filter(
        (e) => e.type === 'loan.activated',
      );
      expect(activated).toEqual([
        expect.objectContaining({
          id: lendingIds.event('loan.activated', loan.loanId),
          time: SETTLED_AT,
          data: expect.objectContaining({
            loanId: loan.loanId,
            principalMinor: '1000000',
            outstandingPrincipalMinor: '1000000',
            accruedInterestMinor: '0',
            dueAt: '2026-12-11T23:59:59.999Z',
            daysPastDue: 0,
          }),
        }),
      ]);
      await expectBooksVerify(dataSource);

      // Redelivered (same source and id): the inbox drops it.
      const before = await tableCounts(dataSource);
      expect(await apply(event)).toEqual({ kind: 'duplicate' });
      expect(await tableCounts(dataSource)).toEqual(before);

      // Re-published under a new id, the same answer: recognised, nothing but its inbox row.
      const again = settledEvent('m-settle', loan.disbursementId, SETTLED_AT, 'tr-1');
      expect(await apply(again)).toMatchObject({
        kind: 'applied',
        detail: expect.stringMatching(/already ACTIVE/),
      });
      expect(await tableCounts(dataSource)).toEqual({ ...before, inbox: before.inbox + 1 });

      // Another treasuryRef for the same payout: money may have left twice, a person must look.
      const twice = await apply(settledEvent('m-settle', loan.disbursementId, SETTLED_AT, 'tr-2'));
      expect(twice).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.DISBURSEMENT_OUTCOME_CONFLICT, field: 'data.disbursementId' },
      });
      // Failed after settled: refused too.
      expect(await apply(failedEvent('m-settle', loan.disbursementId, SETTLED_AT))).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.DISBURSEMENT_OUTCOME_CONFLICT },
      });
      // The two refusals kept nothing but their inbox rows and refusals.
      expect(await tableCounts(dataSource)).toEqual(
        countsAfterRefusals({ ...before, inbox: before.inbox + 1 }, 2),
      );
      expect(await loanNow(loan.loanId)).toMatchObject({ status: 'ACTIVE', treasuryRef: 'tr-1' });
    });

    it('dates a loan paid out before it was asked for (a treasury clock behind ours) from the request', async () => {
      const loan = await pendingLoan('m-early');
      await apply(settledEvent('m-early', loan.disbursementId, '2026-11-11T09:29:00.000Z'));
      expect(await loanNow(loan.loanId)).toMatchObject({ status: 'ACTIVE', disbursedAt: REQUESTED_AT });
      await expectBooksVerify(dataSource);
    });
  });

  describe('disbursement.failed', () => {
    it('cancels the loan, reverses the drawdown and gives the reserved amount back to the line', async () => {
      const loan = await pendingLoan('m-fail', 1_500_000n);
      expect(await lineOf(dataSource, 'm-fail')).toMatchObject({
        reservedMinor: 1_500_000n,
        availableMinor: 3_500_000n,
      });
      const event = failedEvent('m-fail', loan.disbursementId, SETTLED_AT, 'ACCOUNT_CLOSED');
      const outboxBefore = (await outboxEvents(dataSource, 'm-fail')).length;
      expect(await apply(event)).toMatchObject({ kind: 'applied' });

      expect(await loanNow(loan.loanId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'ACCOUNT_CLOSED',
        closedAt: SETTLED_AT,
      });
      expect(await lineOf(dataSource, 'm-fail')).toMatchObject({
        reservedMinor: 0n,
        outstandingMinor: 0n,
        availableMinor: 5_000_000n,
      });
      expect(await journalKeysOf(dataSource, loan.loanId)).toEqual([
        `drawdown-reserved:${loan.disbursementId}`,
        `disbursement-failed:${loan.disbursementId}`,
      ]);
      // Treasury sent the failure itself: no event for it.
      expect(await outboxEvents(dataSource, 'm-fail')).toHaveLength(outboxBefore);
      await expectBooksVerify(dataSource);

      const before = await tableCounts(dataSource);
      expect(await apply(event)).toEqual({ kind: 'duplicate' });
      expect(
        await apply(failedEvent('m-fail', loan.disbursementId, SETTLED_AT, 'ACCOUNT_CLOSED')),
      ).toMatchObject({
        kind: 'applied',
        detail: expect.stringMatching(/already CANCELLED/),
      });
      expect(await apply(settledEvent('m-fail', loan.disbursementId, SETTLED_AT))).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.DISBURSEMENT_OUTCOME_CONFLICT },
      });
      expect(await tableCounts(dataSource)).toEqual(
        countsAfterRefusals({ ...before, inbox: before.inbox + 1 }, 1),
      );
      expect(await lineOf(dataSource, 'm-fail')).toMatchObject({
        reservedMinor: 0n,
        availableMinor: 5_000_000n,
      });
    });
  });

  it.each([
    ['a disbursementId no loan has', () => '00000000-0000-4000-8000-000000000001', 'm-unknown'],
    ['a disbursementId that is not even a UUID', () => 'tr-disb-17', 'm-unknown'],
    ["another merchant's disbursementId", (loan: Loan) => loan.disbursementId, 'm-stranger'],
  ] as const)(
    'refuses %s as UNKNOWN_DISBURSEMENT, keeping only the refusal',
    async (_label, disbursementOf, merchantId) => {
      const loan = await pendingLoan(`m-owner-${_label.length}`);
      const before = await tableCounts(dataSource);
      for (const event of [
        settledEvent(merchantId, disbursementOf(loan), SETTLED_AT),
        failedEvent(merchantId, disbursementOf(loan), SETTLED_AT),
      ])
        expect(await apply(event)).toMatchObject({
          kind: 'rejected',
          violation: { reason: DeadLetterReason.UNKNOWN_DISBURSEMENT, field: 'data.disbursementId' },
        });
      expect(await tableCounts(dataSource)).toEqual(countsAfterRefusals(before, 2));
      expect((await loanNow(loan.loanId)).status).toBe('PENDING_DISBURSEMENT');
    },
  );

  describe('drawdown.requested', () => {
    it('makes the loan once per requestId, at the request time, however often it is delivered', async () => {
      await grantLine(dataSource, { merchantId: 'm-portal', limitMinor: 1_000_000n });
      const event = drawdownRequestedEvent('m-portal', 'portal-1', 400_000n, '2026-11-11T17:30:00+08:00');
      expect(await apply(event)).toMatchObject({ kind: 'applied' });
      const loan = await loanNow(lendingIds.loan('m-portal', 'portal-1'));
      expect(loan).toMatchObject({ status: 'PENDING_DISBURSEMENT', requestedAt: '2026-11-11T09:30:00.000Z' });
      const before = await tableCounts(dataSource);
      expect(await apply(event)).toEqual({ kind: 'duplicate' });
      const republished = drawdownRequestedEvent('m-portal', 'portal-1', 400_000n, '2026-11-11T09:30:00Z');
      expect(await apply(republished)).toMatchObject({
        kind: 'applied',
        detail: expect.stringMatching(/already made/),
      });
      expect(await tableCounts(dataSource)).toEqual({ ...before, inbox: before.inbox + 1 });
      expect((await lineOf(dataSource, 'm-portal')).reservedMinor).toBe(400_000n);
    });

    it.each([
      ['AMOUNT_EXCEEDS_AVAILABLE', 'DRAWDOWN_REFUSED', 'data.amountMinor', 2_000_000n, {}],
      ['TERM_OUT_OF_RANGE', 'DRAWDOWN_REFUSED', 'data.termDays', 100_000n, { termDays: 365 }],
      ['CURRENCY_MISMATCH', 'CURRENCY_MISMATCH', 'data.currency', 100_000n, { currency: 'USD' }],
    ] as const)(
      'dead-letters a %s refusal as %s, keeping only the refusal',
      async (code, reason, field, amount, overrides) => {
        const merchantId = `m-refuse-${code.toLowerCase()}`;
        await grantLine(dataSource, { merchantId, limitMinor: 1_000_000n });
        const before = await tableCounts(dataSource);
        const outcome = await apply(
          drawdownRequestedEvent(merchantId, 'r-1', amount, REQUESTED_AT, overrides),
        );
        expect(outcome).toMatchObject({ kind: 'rejected', violation: { reason, field } });
        // DRAWDOWN_REFUSED names the refusal's code first; CURRENCY_MISMATCH is the code itself.
        const message = (outcome as Extract<LendingInputOutcome, { kind: 'rejected' }>).violation.message;
        expect(message).toMatch(
          reason === 'CURRENCY_MISMATCH'
            ? /in USD but the credit line lends in CNY/
            : new RegExp(`^${field}: ${code}: `),
        );
        // No loan, no entry, no event: only the inbox row and the refusal a redelivery is answered with.
        expect(await tableCounts(dataSource)).toEqual(countsAfterRefusals(before, 1));
      },
    );

    it('dead-letters another request under a used requestId as REQUEST_ID_REUSED', async () => {
      await grantLine(dataSource, { merchantId: 'm-reuse', limitMinor: 1_000_000n });
      await apply(drawdownRequestedEvent('m-reuse', 'r-1', 100_000n, REQUESTED_AT));
      const before = await tableCounts(dataSource);
      expect(await apply(drawdownRequestedEvent('m-reuse', 'r-1', 200_000n, REQUESTED_AT))).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.REQUEST_ID_REUSED, field: 'data.requestId' },
      });
      expect(await tableCounts(dataSource)).toEqual(countsAfterRefusals(before, 1));
    });
  });

  describe('a refusal is kept: the same event redelivered is refused again, whatever changed since', () => {
    const refusalOf = async (event: { source: string; id: string }): Promise<unknown[]> =>
      dataSource.query(
        `SELECT consumer, event_type, reason, field, message FROM lending_refusals
          WHERE source = $1 AND event_id = $2`,
        [event.source, event.id],
      );
    const rejected = (outcome: LendingInputOutcome) =>
      (outcome as Extract<LendingInputOutcome, { kind: 'rejected' }>).violation;

    it.each([
      [
        'AMOUNT_EXCEEDS_AVAILABLE, then the line is raised',
        { limitMinor: 1_000_000n },
        `UPDATE credit_lines SET limit_minor = 5000000, available_minor = 5000000 WHERE merchant_id = $1`,
      ],
      [
        'LINE_NOT_ACTIVE, then the line is unfrozen',
        { limitMinor: 5_000_000n, status: 'FROZEN' as const },
        `UPDATE credit_lines SET status = 'ACTIVE', available_minor = limit_minor WHERE merchant_id = $1`,
      ],
    ])('drawdown.requested refused with %s: no loan, ever, from that event', async (label, line, change) => {
      const merchantId = `m-kept-${label.slice(0, 6).toLowerCase()}`;
      await grantLine(dataSource, { merchantId, ...line });
      const event = drawdownRequestedEvent(merchantId, 'kept-1', 2_000_000n, REQUESTED_AT);
      const before = await tableCounts(dataSource);
      const first = await apply(event);
      expect(first).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.DRAWDOWN_REFUSED },
      });
      expect(rejected(first).message).toContain(label.split(',')[0]!);
      expect(await refusalOf(event)).toEqual([
        {
          consumer: 'lending',
          event_type: 'drawdown.requested',
          reason: 'DRAWDOWN_REFUSED',
          field: rejected(first).field ?? null,
          message: rejected(first).message,
        },
      ]);
      expect(await tableCounts(dataSource)).toEqual(countsAfterRefusals(before, 1));

      // The line would now lend it…
      await dataSource.query(change, [merchantId]);
      const afterChange = await tableCounts(dataSource);
      // …but the event the platform was told was refused is refused again, with the same
      // violation (dead-lettered again), however often it comes back: no loan, no journal
      // entry, no event, nothing reserved.
      for (let delivery = 0; delivery < 2; delivery += 1)
        expect(await apply(event)).toEqual({ kind: 'rejected', violation: rejected(first) });
      expect(await tableCounts(dataSource)).toEqual(afterChange);
      expect(await findLoan(dataSource.manager, lendingIds.loan(merchantId, 'kept-1'))).toBeNull();
      expect(await outboxEvents(dataSource, merchantId)).toEqual([]);
      expect((await lineOf(dataSource, merchantId)).reservedMinor).toBe(0n);

      // A new event (another id) with the same request is a new request, and the line now lends it.
      expect(
        await apply(drawdownRequestedEvent(merchantId, 'kept-1', 2_000_000n, REQUESTED_AT)),
      ).toMatchObject({ kind: 'applied' });
      expect((await lineOf(dataSource, merchantId)).reservedMinor).toBe(2_000_000n);
      await expectBooksVerify(dataSource);
    });

    it('disbursement.settled refused as UNKNOWN_DISBURSEMENT does not pay out the loan made later under that id', async () => {
      const merchantId = 'm-kept-early';
      await grantLine(dataSource, { merchantId, limitMinor: 5_000_000n });
      const disbursementId = lendingIds.disbursement(merchantId, 'early-1');
      const answer = settledEvent(merchantId, disbursementId, SETTLED_AT, 'tr-early');
      const first = await apply(answer);
      expect(first).toMatchObject({
        kind: 'rejected',
        violation: { reason: DeadLetterReason.UNKNOWN_DISBURSEMENT, field: 'data.disbursementId' },
      });

      // The loan that disbursementId names is made afterwards…
      const made = await apply(drawdownRequestedEvent(merchantId, 'early-1', 1_000_000n, REQUESTED_AT));
      expect(made).toMatchObject({ kind: 'applied' });
      const before = await tableCounts(dataSource);
      // …and the refused answer, redelivered, is still refused: the loan stays unpaid.
      expect(await apply(answer)).toEqual({ kind: 'rejected', violation: rejected(first) });
      expect(await tableCounts(dataSource)).toEqual(before);
      expect(await loanNow(lendingIds.loan(merchantId, 'early-1'))).toMatchObject({
        status: 'PENDING_DISBURSEMENT',
        treasuryRef: null,
      });
      expect((await outboxEvents(dataSource, merchantId)).map((e) => e.type)).toEqual([
        'disbursement.requested',
      ]);
      await expectBooksVerify(dataSource);
    });

    it('a refusal goes with its inbox row when the inbox is purged past its horizon', async () => {
      await grantLine(dataSource, { merchantId: 'm-kept-purged', limitMinor: 1_000_000n });
      const event = drawdownRequestedEvent('m-kept-purged', 'old-1', 2_000_000n, REQUESTED_AT);
      expect(await apply(event)).toMatchObject({ kind: 'rejected' });
      // Only this row is old enough: the purge leaves every other test's inbox alone.
      await dataSource.query(
        `UPDATE inbox SET processed_at = now() - interval '31 days' WHERE source = $1 AND event_id = $2`,
        [event.source, event.id],
      );
      const before = await tableCounts(dataSource);
      expect(await purgeInbox(dataSource.manager)).toBe(1);
      expect(await refusalOf(event)).toEqual([]);
      expect(await tableCounts(dataSource)).toEqual({
        ...before,
        inbox: before.inbox - 1,
        refusals: before.refusals - 1,
      });
    });

    it('a failure that is not a refusal keeps nothing, not even the inbox row: the event is retried', async () => {
      await grantLine(dataSource, { merchantId: 'm-kept-throws', limitMinor: 5_000_000n });
      const valid = orderSettledEvent('m-kept-throws', 's-negative', 1n, REQUESTED_AT);
      // A negative amount cannot pass the contract's codec; here it stands for any thrown failure.
      const broken = { ...valid, data: { ...valid.data, amountMinor: -1n } } as typeof valid;
      const before = await tableCounts(dataSource);
      await expect(apply(broken)).rejects.toThrow(RangeError);
      expect(await tableCounts(dataSource)).toEqual(before);
      expect(await refusalOf(broken)).toEqual([]);
    });
  });

  it('acknowledges the order types lending does not act on without touching the database', async () => {
    const before = await tableCounts(dataSource);
    const placed = { ...orderSettledEvent('m-any', 's-1', 1n, REQUESTED_AT), type: 'order.placed' } as never;
    expect(await apply(placed)).toEqual({ kind: 'ignored' });
    expect(await tableCounts(dataSource)).toEqual(before);
  });
});
