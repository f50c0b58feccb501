import { epochDayOfInstant } from './business-day';
import { LendingPolicy } from './lending-policy';

/**
 * Days past due, counted in whole UTC calendar days after the due day:
 *
 *   daysPastDue = max(0, utcDay(now) − utcDay(dueAt))
 *
 * A loan's `dueAt` is the last millisecond of its due day (see dueAtFor), so a loan is never
 * late on its due day: repaying at 23:59 UTC is on time, and at 00:00 UTC the next day it is
 * 1 day past due. The count does not stop for partial repayments: a loan is late until it is
 * repaid in full.
 */
export function daysPastDue(dueAt: string, now: string): number {
  return Math.max(0, epochDayOfInstant('now', now) - epochDayOfInstant('dueAt', dueAt));
}

/** The days-past-due buckets of the portfolio report and of `loan.overdue`, least to most severe. */
export const DELINQUENCY_BUCKETS = ['CURRENT', 'DPD_1_30', 'DPD_31_60', 'DPD_61_90', 'DPD_90_PLUS'] as const;

export type DelinquencyBucket = (typeof DELINQUENCY_BUCKETS)[number];

/** 0 → CURRENT; 1–30, 31–60, 61–90; 91 and more → DPD_90_PLUS ("more than 90 days"). */
export function delinquencyBucketOf(daysPastDueCount: number): DelinquencyBucket {
  if (!Number.isSafeInteger(daysPastDueCount) || daysPastDueCount < 0)
    throw new RangeError(`days past due must be a whole number >= 0, got ${daysPastDueCount}`);
  if (daysPastDueCount === 0) return 'CURRENT';
  if (daysPastDueCount <= 30) return 'DPD_1_30';
  if (daysPastDueCount <= 60) return 'DPD_31_60';
  if (daysPastDueCount <= 90) return 'DPD_61_90';
  return 'DPD_90_PLUS';
}

/** Severity of a bucket: CURRENT is 0, each later bucket one more. */
export const bucketSeverity = (bucket: DelinquencyBucket): number => DELINQUENCY_BUCKETS.indexOf(bucket);

/**
 * Whether entering `bucket` is news: `loan.overdue` is sent once per bucket a loan enters, the
 * first time it is seen there (a loan seen first at 45 days past due, after downtime, reports
 * DPD_31_60 once and never DPD_1_30). Buckets only get worse while a loan is active.
 */
export const isNewOverdueBucket = (bucket: DelinquencyBucket, lastReported: DelinquencyBucket): boolean =>
  bucketSeverity(bucket) > bucketSeverity(lastReported);

/** A loan is written off once it is at least the policy's days past due (90 by default). */
export const isWriteOffDue = (daysPastDueCount: number, policy: LendingPolicy): boolean =>
  daysPastDueCount >= policy.writeOffDaysPastDue;
