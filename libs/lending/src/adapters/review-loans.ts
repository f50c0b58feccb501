import type { DataSource, EntityManager } from 'typeorm';
import { addDays, businessDayOf, daysBetween } from '../business-day';
import { DelinquencyBucket, DELINQUENCY_BUCKETS, daysPastDue, delinquencyBucketOf } from '../delinquency';
import { LendingPolicy } from '../lending-policy';
import { dueAtOf, Loan } from '../loan';
import { reviewLoan } from '../loan-review';
import { LoanOutcome } from '../loan-outcome';
import { businessInstant } from './business-instant';
import { lockLendingLines } from './lending-line';
import { sameLoan } from './loan-equality';
import { LOAN_COLUMNS, loanFromRow, LoanRow } from './loan-row';
import { writeLoanOutcomes } from './write-loan-outcomes';

export interface ReviewOptions {
  readonly policy: LendingPolicy;
  /** Loans per transaction (default 200, 1–5 000): short transactions, short locks. */
  readonly chunkSize?: number;
  /** Most loans one run examines (default 100 000); the next run goes on. */
  readonly limit?: number;
}

export const REVIEW_DEFAULTS = { chunkSize: 200, limit: 100_000 } as const;

/** Loans the report names one by one (the counts are always complete). */
export const MAX_LOANS_NAMED_PER_REPORT = 100;

export interface OverdueReport {
  readonly loanId: string;
  readonly merchantId: string;
  readonly bucket: DelinquencyBucket;
  readonly daysPastDue: number;
}

export interface WriteOffReport {
  readonly loanId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly principalMinor: bigint;
  readonly interestMinor: bigint;
  readonly daysPastDue: number;
}

/** What one run of the review did. */
export interface ReviewReport {
  readonly asOf: string;
  /** Active loans that looked behind and were reviewed under their lock. */
  readonly examined: number;
  /** Loans written (interest posted, a bucket reported, written off). */
  readonly changed: number;
  /** Days of interest brought up to date, over every loan (a day that rounds to 0 counts too). */
  readonly accruedDays: number;
  /** Interest posted, per currency, in minor units. */
  readonly interestPostedMinor: ReadonlyMap<string, bigint>;
  readonly overdueCount: number;
  /** The first MAX_LOANS_NAMED_PER_REPORT of them. */
  readonly overdue: readonly OverdueReport[];
  readonly writtenOffCount: number;
  readonly writtenOff: readonly WriteOffReport[];
  /**
   * Loans due a write-off whose credit line another transaction held (a drawdown, the
   * underwriter): left as they were, for the next run (the review never waits for a lock).
   */
  readonly deferred: number;
  /** False when the run stopped at its limit: more loans may be behind. */
  readonly complete: boolean;
}

/**
 * The daily review (reviewLoan on every active loan that is behind `businessNow`): interest of
 * every ended day, `loan.overdue` once per days-past-due bucket entered, and the write-off at
 * the policy's days past due, with their journal entries, line changes and events.
 *
 * - **Chunks.** Active loans are walked in loan_id order, a chunk per short transaction, so a
 *   run never holds many locks for long and a crash loses at most a chunk (the next run redoes it).
 * - **Idempotent, catches up.** A loan's state says what is done (last accrued day, last
 *   bucket reported): a second run at the same instant finds nothing behind; after downtime a
 *   run posts every missed day, oldest first. Journal keys (`accrual:<loan>:<day>`) make even a
 *   retried chunk post a day once.
 * - **Concurrent runs.** Loans are locked FOR UPDATE SKIP LOCKED: two runs (two replicas, a
 *   manual run beside the app's) share the work instead of queueing, and a loan another
 *   transaction holds (a settlement paying it) is left to that transaction and the next run.
 *   A write-off also locks the loan's credit line, again skipping it when busy: the review
 *   never waits for a lock, so it can never close a cycle with a transaction that locks the
 *   line first and the loans after.
 */
export async function reviewLoans(
  dataSource: DataSource,
  businessNow: string,
  options: ReviewOptions,
): Promise<ReviewReport> {
  const asOf = businessInstant('businessNow', businessNow);
  const chunkSize = bounded('chunkSize', options.chunkSize ?? REVIEW_DEFAULTS.chunkSize, 1, 5_000);
  const limit = bounded('limit', options.limit ?? REVIEW_DEFAULTS.limit, 1, 10_000_000);
  const tally = new ReviewTally(asOf);
  let cursor = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const room = limit - tally.examined;
    if (room <= 0) return tally.report(false);
    const want = Math.min(chunkSize, room);
    const chunk = await dataSource.transaction((manager) =>
      reviewChunk(manager, asOf, cursor, want, options.policy, tally),
    );
    if (chunk.lastLoanId !== null) cursor = chunk.lastLoanId;
    if (chunk.examined < want) return tally.report(true);
  }
}

async function reviewChunk(
  manager: EntityManager,
  asOf: string,
  afterLoanId: string,
  limit: number,
  policy: LendingPolicy,
  tally: ReviewTally,
): Promise<{ examined: number; lastLoanId: string | null }> {
  const today = businessDayOf(asOf);
  const rows: LoanRow[] = await manager.query(
    `SELECT ${LOAN_COLUMNS} FROM loans
      WHERE status = 'ACTIVE' AND loan_id > $1
        AND (last_accrued_day < $2::date
             OR ($3::date - (due_at AT TIME ZONE 'UTC')::date) >= $4
             OR array_position($5::text[], ${bucketSql("($3::date - (due_at AT TIME ZONE 'UTC')::date)")})
                > array_position($5::text[], overdue_bucket_reported))
      ORDER BY loan_id
      LIMIT $6
      FOR UPDATE SKIP LOCKED`,
    [afterLoanId, addDays(today, -1), today, policy.writeOffDaysPastDue, DELINQUENCY_BUCKETS, limit],
  );
  const loans = rows.map(loanFromRow);
  const reviewed = loans.flatMap((loan) => {
    const outcome = reviewLoan(loan, asOf, policy);
    if (!outcome.ok) throw new Error(`reviewing ${loan.loanId}: ${outcome.error.message}`);
    const unchanged =
      sameLoan(outcome.value.loan, loan) &&
      outcome.value.journal.length === 0 &&
      outcome.value.events.length === 0;
    return unchanged ? [] : [{ before: loan, outcome: outcome.value }];
  });
  const writable = await withLinesHeld(manager, reviewed);
  await writeLoanOutcomes(
    manager,
    writable.map(({ outcome }) => outcome),
    asOf,
  );
  tally.add(loans.length, writable, reviewed.length - writable.length);
  return { examined: loans.length, lastLoanId: loans[loans.length - 1]?.loanId ?? null };
}

interface Reviewed {
  readonly before: Loan;
  readonly outcome: LoanOutcome;
}

/**
 * The outcomes that can be written now: those that move no line, and those whose line this
 * transaction could lock without waiting. A loan whose merchant has no line row at all is a
 * broken invariant (a loan that no line holds), thrown.
 */
async function withLinesHeld(manager: EntityManager, reviewed: readonly Reviewed[]): Promise<Reviewed[]> {
  const moving = reviewed.filter(
    ({ outcome }) =>
      outcome.lineChange.reservedDeltaMinor !== 0n || outcome.lineChange.outstandingDeltaMinor !== 0n,
  );
  if (moving.length === 0) return [...reviewed];
  const merchants = [...new Set(moving.map(({ before }) => before.merchantId))];
  const held = await lockLendingLines(manager, merchants, { skipLocked: true });
  const busy = merchants.filter((merchantId) => !held.has(merchantId));
  if (busy.length > 0) {
    const existing: Array<{ merchant_id: string }> = await manager.query(
      `SELECT merchant_id FROM credit_lines WHERE merchant_id = ANY ($1::text[])`,
      [busy],
    );
    const missing = busy.filter((merchantId) => !existing.some((row) => row.merchant_id === merchantId));
    if (missing.length > 0)
      throw new Error(`merchants ${missing.join(', ')} have active loans but no credit line row`);
  }
  return reviewed.filter(({ before, outcome }) => {
    const movesLine =
      outcome.lineChange.reservedDeltaMinor !== 0n || outcome.lineChange.outstandingDeltaMinor !== 0n;
    return !movesLine || held.has(before.merchantId);
  });
}

/**
 * The SQL bucket of a days-past-due expression, generated from delinquencyBucketOf itself (the
 * first day of each bucket), so the query's prefilter and the pure rule cannot drift apart.
 */
export function bucketSql(daysPastDueExpression: string): string {
  const firstDays = DELINQUENCY_BUCKETS.map((bucket) => {
    for (let days = 0; days <= 100_000; days += 1) if (delinquencyBucketOf(days) === bucket) return days;
    throw new Error(`no number of days past due falls in bucket ${bucket}`);
  });
  const branches = DELINQUENCY_BUCKETS.map((bucket, index) => ({ bucket, from: firstDays[index]! }))
    .reverse()
    .map(({ bucket, from }) => `WHEN ${daysPastDueExpression} >= ${from} THEN '${bucket}'`);
  return `(CASE ${branches.join(' ')} ELSE 'CURRENT' END)`;
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RangeError(`reviewLoans: ${name} must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

class ReviewTally {
  examined = 0;
  private changed = 0;
  private accruedDays = 0;
  private deferred = 0;
  private readonly interest = new Map<string, bigint>();
  private overdueCount = 0;
  private readonly overdue: OverdueReport[] = [];
  private writtenOffCount = 0;
  private readonly writtenOff: WriteOffReport[] = [];

  constructor(private readonly asOf: string) {}

  add(examined: number, written: readonly Reviewed[], deferred: number): void {
    this.examined += examined;
    this.deferred += deferred;
    for (const { before, outcome } of written) {
      const after = outcome.loan;
      this.changed += 1;
      this.accruedDays += daysBetween(before.lastAccruedDay!, after.lastAccruedDay!);
      const posted = after.interestAccruedMinor - before.interestAccruedMinor;
      this.interest.set(after.currency, (this.interest.get(after.currency) ?? 0n) + posted);
      const late = daysPastDue(dueAtOf(after), this.asOf);
      for (const event of outcome.events) {
        if (event.type === 'loan.overdue') {
          this.overdueCount += 1;
          if (this.overdue.length < MAX_LOANS_NAMED_PER_REPORT)
            this.overdue.push({
              loanId: after.loanId,
              merchantId: after.merchantId,
              bucket: delinquencyBucketOf(late),
              daysPastDue: late,
            });
        }
        if (event.type === 'loan.written-off') {
          this.writtenOffCount += 1;
          if (this.writtenOff.length < MAX_LOANS_NAMED_PER_REPORT)
            this.writtenOff.push({
              loanId: after.loanId,
              merchantId: after.merchantId,
              currency: after.currency,
              principalMinor: after.principalWrittenOffMinor,
              interestMinor: after.interestWrittenOffMinor,
              daysPastDue: late,
            });
        }
      }
    }
  }

  report(complete: boolean): ReviewReport {
    return {
      asOf: this.asOf,
      examined: this.examined,
      changed: this.changed,
      accruedDays: this.accruedDays,
      interestPostedMinor: new Map(this.interest),
      overdueCount: this.overdueCount,
      overdue: [...this.overdue],
      writtenOffCount: this.writtenOffCount,
      writtenOff: [...this.writtenOff],
      deferred: this.deferred,
      complete,
    };
  }
}
