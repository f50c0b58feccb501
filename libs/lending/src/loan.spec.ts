import { LENDING_POLICY_V1 } from './lending-policy';
import { amountOwedOf, assertLoan, dueAtFor, isOpenLoan, lastAccruableDayOf, Loan } from './loan';
import { activeLoanFixture, pendingLoanFixture } from './testing/loan-fixture';

describe('a loan', () => {
  it.each<[string, number, string]>([
    ['09:31 UTC, 30 days', 30, '2026-12-11T23:59:59.999Z'],
    ['09:31 UTC, 7 days', 7, '2026-11-18T23:59:59.999Z'],
  ])('disbursed on 2026-11-11 at %s is due at the end of the due day', (_case, termDays, dueAt) => {
    expect(dueAtFor('2026-11-11T09:31:00.000Z', termDays)).toBe(dueAt);
  });

  it('accrues until the day before it is written off', () => {
    expect(lastAccruableDayOf(activeLoanFixture(), LENDING_POLICY_V1)).toBe('2027-03-10');
    expect(lastAccruableDayOf(activeLoanFixture(), { ...LENDING_POLICY_V1, writeOffDaysPastDue: 1 })).toBe(
      '2026-12-11',
    );
  });

  it('has no due date before it is paid out', () => {
    expect(() => lastAccruableDayOf(pendingLoanFixture(), LENDING_POLICY_V1)).toThrow('has no due date');
  });

  it('is open while awaiting disbursement or active', () => {
    expect(isOpenLoan(pendingLoanFixture())).toBe(true);
    expect(isOpenLoan(activeLoanFixture())).toBe(true);
    expect(isOpenLoan({ status: 'REPAID' })).toBe(false);
  });

  it('owes principal plus posted interest', () => {
    expect(
      amountOwedOf({ ...activeLoanFixture(), interestOutstandingMinor: 7n, interestAccruedMinor: 7n }),
    ).toBe(1_000_007n);
  });

  it.each<[string, () => Loan]>([
    ['a fresh drawdown', () => pendingLoanFixture()],
    ['a fresh disbursement', () => activeLoanFixture()],
  ])('%s holds every invariant', (_case, loan) => {
    expect(() => assertLoan(loan())).not.toThrow();
  });

  const active = activeLoanFixture();
  const pending = pendingLoanFixture();
  it.each<[string, Loan, string]>([
    ['a negative amount', { ...active, interestRepaidMinor: -1n }, 'interestRepaidMinor is -1'],
    ['a zero principal', { ...pending, principalMinor: 0n }, 'principalMinor must be positive'],
    ['an unknown status', { ...active, status: 'LATE' as Loan['status'] }, 'unknown status LATE'],
    ['a rate above 100 %', { ...active, dailyRateBps: 10_001 }, 'dailyRateBps 10001'],
    ['a term of 0 days', { ...active, termDays: 0 }, 'termDays 0'],
    ['a lower-case currency', { ...active, currency: 'cny' }, 'currency cny'],
    ['a carry of half a unit', { ...active, interestCarryTenThousandths: 5_000n }, 'interest carry 5000'],
    ['principal parts that do not add up', { ...active, principalRepaidMinor: 1n }, 'principal 1000000 ≠'],
    ['interest parts that do not add up', { ...active, interestAccruedMinor: 5n }, 'interest accrued 5 ≠'],
    [
      'an active loan without a due date',
      { ...active, dueAt: null },
      'needs disbursedAt, dueAt and lastAccruedDay',
    ],
    [
      'accrual before the disbursement',
      { ...active, lastAccruedDay: '2026-11-01' },
      "before the disbursement day's eve",
    ],
    [
      'a pending loan that owes principal',
      { ...pending, principalOutstandingMinor: 5n },
      'principalOutstandingMinor set',
    ],
    [
      'a pending loan with a carry',
      { ...pending, interestCarryTenThousandths: 1n },
      'an undisbursed loan has an interest carry',
    ],
    [
      'a pending loan with a due date',
      { ...pending, dueAt: '2026-12-11T23:59:59.999Z' },
      'has disbursement dates',
    ],
    [
      'a pending loan reported overdue',
      { ...pending, overdueBucketReported: 'DPD_1_30' },
      'was reported overdue',
    ],
    [
      'an active loan with a write-off',
      { ...active, principalOutstandingMinor: 999_999n, principalWrittenOffMinor: 1n },
      'a ACTIVE loan has amounts written off',
    ],
    [
      'a repaid loan that still owes',
      { ...active, status: 'REPAID', closedAt: '2026-12-01T00:00:00.000Z' },
      'still owes 1000000',
    ],
    [
      'an active loan that owes nothing',
      { ...active, principalOutstandingMinor: 0n, principalRepaidMinor: 1_000_000n },
      'it should be REPAID',
    ],
    [
      'an open loan with a close date',
      { ...active, closedAt: '2026-12-01T00:00:00.000Z' },
      'status ACTIVE with closedAt',
    ],
    [
      'a cancellation reason on an active loan',
      { ...active, cancellationReason: 'x' },
      'only a cancelled loan',
    ],
  ])('refuses %s', (_case, loan, message) => {
    expect(() => assertLoan(loan)).toThrow(message);
  });
});
