import { assertBalanced } from '@lendstream/ledger';
import { failDisbursement, settleDisbursement } from './disbursement';
import { Loan } from './loan';
import {
  activeLoanFixture,
  DISBURSED_AT,
  expectOk,
  expectRefusal,
  pendingLoanFixture,
  REQUESTED_AT,
} from './testing/loan-fixture';
import { parseAsContract } from './testing/wire';

describe('settleDisbursement', () => {
  it('activates the loan: the term runs from the disbursement day', () => {
    const outcome = expectOk(
      settleDisbursement(pendingLoanFixture(), { treasuryRef: 'tr-9', settledAt: DISBURSED_AT }),
    );
    expect(outcome.loan).toMatchObject({
      status: 'ACTIVE',
      disbursedAt: DISBURSED_AT,
      treasuryRef: 'tr-9',
      dueAt: '2026-12-11T23:59:59.999Z', // 2026-11-11 + 30 days, end of day
      principalOutstandingMinor: 1_000_000n,
      lastAccruedDay: '2026-11-10', // interest starts on the disbursement day
    });
    expect(outcome.lineChange).toEqual({
      creditLineId: 'cl-1',
      reservedDeltaMinor: -1_000_000n,
      outstandingDeltaMinor: 1_000_000n,
    });
    expect(outcome.journal).toHaveLength(1);
    expect(outcome.journal[0]).toMatchObject({
      idempotencyKey: 'disbursement-settled:disb-loan-1',
      code: 'DISBURSEMENT_SETTLED',
      effectiveAt: DISBURSED_AT,
      lines: [
        { account: 'LOANS_RECEIVABLE', side: 'DEBIT', amountMinor: 1_000_000n },
        { account: 'LOANS_AWAITING_DISBURSEMENT', side: 'CREDIT', amountMinor: 1_000_000n },
        { account: 'DISBURSEMENTS_PAYABLE', side: 'DEBIT', amountMinor: 1_000_000n },
        { account: 'TREASURY_CLEARING', side: 'CREDIT', amountMinor: 1_000_000n },
      ],
    });
    outcome.journal.forEach(assertBalanced);
    expect(outcome.events.map((event) => event.type)).toEqual(['loan.activated']);
    expect(parseAsContract(outcome.events[0]!)).toEqual({
      merchantId: 'm-000042',
      loanId: 'loan-1',
      principalMinor: 1_000_000n,
      outstandingPrincipalMinor: 1_000_000n,
      accruedInterestMinor: 0n,
      currency: 'CNY',
      dueAt: '2026-12-11T23:59:59.999Z',
      daysPastDue: 0,
    });
  });

  it.each<[string, string, number, string]>([
    ['paid the day it was asked', '2026-11-11T09:31:00.000Z', 7, '2026-11-18T23:59:59.999Z'],
    [
      'paid three days later: the term is not eaten by the wait',
      '2026-11-14T10:00:00.000Z',
      7,
      '2026-11-21T23:59:59.999Z',
    ],
    ['paid just before midnight UTC', '2026-11-11T23:59:59.999Z', 7, '2026-11-18T23:59:59.999Z'],
    [
      'paid at 07:00 in Beijing (still the 11th in UTC)',
      '2026-11-12T07:00:00+08:00',
      7,
      '2026-11-18T23:59:59.999Z',
    ],
    ['across a year end', '2026-12-31T10:00:00.000Z', 180, '2027-06-29T23:59:59.999Z'],
  ])('%s', (_case, settledAt, termDays, dueAt) => {
    const outcome = expectOk(
      settleDisbursement(pendingLoanFixture({ termDays }), { treasuryRef: 'tr-1', settledAt }),
    );
    expect(outcome.loan.dueAt).toBe(dueAt);
  });

  it('never dates a payment before the request: a treasury clock a little behind is taken as the request time', () => {
    const outcome = expectOk(
      settleDisbursement(pendingLoanFixture(), {
        treasuryRef: 'tr-1',
        settledAt: '2026-11-11T09:29:59.000Z',
      }),
    );
    expect(outcome.loan.disbursedAt).toBe(REQUESTED_AT);
    expect(outcome.journal[0]!.effectiveAt).toBe(REQUESTED_AT);
  });

  it.each<[string, Loan]>([
    ['an active loan (settled twice)', activeLoanFixture()],
    [
      'a cancelled loan',
      expectOk(failDisbursement(pendingLoanFixture(), { reason: 'account closed', failedAt: DISBURSED_AT }))
        .loan,
    ],
  ])('refuses to settle %s', (_case, loan) => {
    const refusal = expectRefusal(settleDisbursement(loan, { treasuryRef: 'tr-2', settledAt: DISBURSED_AT }));
    expect(refusal).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      command: 'settle-disbursement',
      status: loan.status,
    });
    expect(refusal.message).toContain('only a loan that is PENDING_DISBURSEMENT can');
  });
});

describe('failDisbursement', () => {
  it('cancels the loan and gives the reserved amount back to the line', () => {
    const outcome = expectOk(
      failDisbursement(pendingLoanFixture(), { reason: 'account closed', failedAt: DISBURSED_AT }),
    );
    expect(outcome.loan).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'account closed',
      closedAt: DISBURSED_AT,
      principalOutstandingMinor: 0n,
    });
    expect(outcome.lineChange).toEqual({
      creditLineId: 'cl-1',
      reservedDeltaMinor: -1_000_000n,
      outstandingDeltaMinor: 0n,
    });
    expect(outcome.journal).toEqual([
      expect.objectContaining({
        idempotencyKey: 'disbursement-failed:disb-loan-1',
        code: 'DISBURSEMENT_FAILED',
        lines: [
          { account: 'DISBURSEMENTS_PAYABLE', side: 'DEBIT', amountMinor: 1_000_000n },
          { account: 'LOANS_AWAITING_DISBURSEMENT', side: 'CREDIT', amountMinor: 1_000_000n },
        ],
      }),
    ]);
    // No event: the contract has none for a failed disbursement; treasury sent the failure itself.
    expect(outcome.events).toEqual([]);
  });

  it('refuses to fail a loan treasury already paid', () => {
    expect(
      expectRefusal(
        failDisbursement(activeLoanFixture(), { reason: 'late failure', failedAt: DISBURSED_AT }),
      ),
    ).toMatchObject({ code: 'ILLEGAL_TRANSITION', command: 'fail-disbursement', status: 'ACTIVE' });
  });
});
