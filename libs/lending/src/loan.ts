import { BusinessDay, addDays, businessDayOf, endOfDay, epochDayOf } from './business-day';
import { DelinquencyBucket, DELINQUENCY_BUCKETS } from './delinquency';
import { INTEREST_CARRY_MAX_EXCLUSIVE, INTEREST_CARRY_MIN } from './interest';
import { LendingPolicy, TERM_DAYS_CONTRACT_MAX } from './lending-policy';

/**
 * A loan's life:
 *
 *   PENDING_DISBURSEMENT ──settled──► ACTIVE ──repaid in full──► REPAID
 *            │                           └────written off───────► WRITTEN_OFF
 *            └──failed──► CANCELLED
 *
 * REPAID, WRITTEN_OFF and CANCELLED are final.
 */
export const LOAN_STATUSES = [
  'PENDING_DISBURSEMENT',
  'ACTIVE',
  'REPAID',
  'WRITTEN_OFF',
  'CANCELLED',
] as const;

export type LoanStatus = (typeof LOAN_STATUSES)[number];

export const FINAL_LOAN_STATUSES: readonly LoanStatus[] = ['REPAID', 'WRITTEN_OFF', 'CANCELLED'];

/** Open loans hold part of the line (reserved while pending, outstanding while active). */
export const isOpenLoan = (loan: Pick<Loan, 'status'>): boolean =>
  loan.status === 'PENDING_DISBURSEMENT' || loan.status === 'ACTIVE';

export interface Loan {
  readonly loanId: string;
  readonly merchantId: string;
  readonly creditLineId: string;
  /** Treasury's handle on the payout: unique forever, one disbursement per loan. */
  readonly disbursementId: string;
  readonly currency: string;
  readonly status: LoanStatus;
  /** What was drawn: the principal treasury pays out. */
  readonly principalMinor: bigint;
  /** The line's daily rate at drawdown, fixed for the loan's life. */
  readonly dailyRateBps: number;
  readonly termDays: number;
  /** The lending policy version the drawdown was assessed under. */
  readonly policyVersion: string;
  readonly requestedAt: string;
  /** When treasury paid (the term runs from this day); null until then, and for a cancelled loan. */
  readonly disbursedAt: string | null;
  readonly treasuryRef: string | null;
  /** The last millisecond of the due day (disbursement day + termDays); null until disbursed. */
  readonly dueAt: string | null;
  /** Principal owed: 0 until disbursed, then principal − repaid − written off. */
  readonly principalOutstandingMinor: bigint;
  readonly principalRepaidMinor: bigint;
  readonly principalWrittenOffMinor: bigint;
  /** Interest posted to the ledger over the loan's life. */
  readonly interestAccruedMinor: bigint;
  /** Interest owed: accrued − repaid − written off. */
  readonly interestOutstandingMinor: bigint;
  readonly interestRepaidMinor: bigint;
  readonly interestWrittenOffMinor: bigint;
  /**
   * Exact interest minus posted interest, in ten-thousandths of a minor unit (the unit of
   * principal × basis points), always in [−5 000, 5 000): see interest.ts.
   */
  readonly interestCarryTenThousandths: bigint;
  /** The last day whose interest is posted; the day before disbursement until the first accrual. */
  readonly lastAccruedDay: BusinessDay | null;
  /** The most severe bucket `loan.overdue` was sent for; CURRENT until the loan is first late. */
  readonly overdueBucketReported: DelinquencyBucket;
  /** Treasury's reason for a failed disbursement; null otherwise. */
  readonly cancellationReason: string | null;
  /** When the loan reached a final status; null while open. */
  readonly closedAt: string | null;
}

/** The due instant of a loan disbursed at `disbursedAt`: the end of the day `termDays` after the disbursement day. */
export const dueAtFor = (disbursedAt: string, termDays: number): string =>
  endOfDay(addDays(businessDayOf(disbursedAt), termDays));

/** The due instant of a disbursed loan; asking it of an undisbursed loan is a bug. */
export function dueAtOf(loan: Loan): string {
  if (loan.dueAt === null) throw new RangeError(`loan ${loan.loanId} has no due date: it is not disbursed`);
  return loan.dueAt;
}

/** The due day (`YYYY-MM-DD`) of a disbursed loan. */
export const dueDayOf = (loan: Loan): BusinessDay => businessDayOf(dueAtOf(loan));

/**
 * The last day a loan accrues interest: the day before the day it is written off (its due day
 * plus the policy's write-off days past due). Interest stops there whether or not the write-off
 * job ran on time, so a late job never charges a day more.
 */
export const lastAccruableDayOf = (loan: Loan, policy: LendingPolicy): BusinessDay =>
  addDays(dueDayOf(loan), policy.writeOffDaysPastDue - 1);

/** What the merchant owes on the loan right now: outstanding principal plus posted, unpaid interest. */
export const amountOwedOf = (loan: Loan): bigint =>
  loan.principalOutstandingMinor + loan.interestOutstandingMinor;

/**
 * Broken invariants crash loudly: checked on every loan a transition produces, and by
 * adapters on every loan they read back.
 */
export function assertLoan(loan: Loan): void {
  const problems: string[] = [];
  const amounts = {
    principalMinor: loan.principalMinor,
    principalOutstandingMinor: loan.principalOutstandingMinor,
    principalRepaidMinor: loan.principalRepaidMinor,
    principalWrittenOffMinor: loan.principalWrittenOffMinor,
    interestAccruedMinor: loan.interestAccruedMinor,
    interestOutstandingMinor: loan.interestOutstandingMinor,
    interestRepaidMinor: loan.interestRepaidMinor,
    interestWrittenOffMinor: loan.interestWrittenOffMinor,
  };
  for (const [name, amount] of Object.entries(amounts)) {
    if (typeof amount !== 'bigint' || amount < 0n) problems.push(`${name} is ${String(amount)}`);
  }
  if (loan.principalMinor <= 0n) problems.push('principalMinor must be positive');
  if (!LOAN_STATUSES.includes(loan.status)) problems.push(`unknown status ${String(loan.status)}`);
  if (!Number.isSafeInteger(loan.dailyRateBps) || loan.dailyRateBps < 0 || loan.dailyRateBps > 10_000)
    problems.push(`dailyRateBps ${loan.dailyRateBps}`);
  if (!Number.isSafeInteger(loan.termDays) || loan.termDays < 1 || loan.termDays > TERM_DAYS_CONTRACT_MAX)
    problems.push(`termDays ${loan.termDays}`);
  if (!/^[A-Z]{3}$/.test(loan.currency)) problems.push(`currency ${loan.currency}`);
  if (
    loan.interestCarryTenThousandths < INTEREST_CARRY_MIN ||
    loan.interestCarryTenThousandths >= INTEREST_CARRY_MAX_EXCLUSIVE
  )
    problems.push(`interest carry ${loan.interestCarryTenThousandths} outside [−5000, 5000)`);
  if (!DELINQUENCY_BUCKETS.includes(loan.overdueBucketReported))
    problems.push(`unknown bucket ${String(loan.overdueBucketReported)}`);

  const disbursed = loan.status === 'ACTIVE' || loan.status === 'REPAID' || loan.status === 'WRITTEN_OFF';
  if (disbursed) {
    if (loan.disbursedAt === null || loan.dueAt === null || loan.lastAccruedDay === null)
      problems.push('a disbursed loan needs disbursedAt, dueAt and lastAccruedDay');
    else if (epochDayOf(loan.lastAccruedDay) < epochDayOf(businessDayOf(loan.disbursedAt)) - 1)
      problems.push(`lastAccruedDay ${loan.lastAccruedDay} is before the disbursement day's eve`);
    const principalParts =
      loan.principalOutstandingMinor + loan.principalRepaidMinor + loan.principalWrittenOffMinor;
    if (principalParts !== loan.principalMinor)
      problems.push(
        `principal ${loan.principalMinor} ≠ outstanding + repaid + written off (${principalParts})`,
      );
    const interestParts =
      loan.interestOutstandingMinor + loan.interestRepaidMinor + loan.interestWrittenOffMinor;
    if (interestParts !== loan.interestAccruedMinor)
      problems.push(
        `interest accrued ${loan.interestAccruedMinor} ≠ outstanding + repaid + written off (${interestParts})`,
      );
  } else {
    const moved = Object.entries(amounts).filter(
      ([name, amount]) => name !== 'principalMinor' && amount !== 0n,
    );
    if (moved.length > 0)
      problems.push(`an undisbursed loan has ${moved.map(([name]) => name).join(', ')} set`);
    if (loan.interestCarryTenThousandths !== 0n) problems.push('an undisbursed loan has an interest carry');
    if (loan.disbursedAt !== null || loan.dueAt !== null || loan.lastAccruedDay !== null)
      problems.push('an undisbursed loan has disbursement dates');
    if (loan.overdueBucketReported !== 'CURRENT') problems.push('an undisbursed loan was reported overdue');
  }
  if (loan.status !== 'WRITTEN_OFF' && loan.principalWrittenOffMinor + loan.interestWrittenOffMinor !== 0n)
    problems.push(`a ${loan.status} loan has amounts written off`);
  if ((loan.status === 'REPAID' || loan.status === 'WRITTEN_OFF') && amountOwedOf(loan) !== 0n)
    problems.push(`a ${loan.status} loan still owes ${amountOwedOf(loan)}`);
  if (
    loan.status === 'ACTIVE' &&
    loan.principalOutstandingMinor === 0n &&
    loan.interestOutstandingMinor === 0n
  )
    problems.push('an active loan owes nothing (it should be REPAID)');
  const final = FINAL_LOAN_STATUSES.includes(loan.status);
  if (final !== (loan.closedAt !== null))
    problems.push(`status ${loan.status} with closedAt ${loan.closedAt}`);
  if ((loan.status === 'CANCELLED') !== (loan.cancellationReason !== null))
    problems.push('only a cancelled loan has a cancellation reason');
  if (problems.length > 0)
    throw new RangeError(`invalid loan ${loan.loanId} of ${loan.merchantId}: ${problems.join('; ')}`);
}
