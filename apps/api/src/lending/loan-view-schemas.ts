import { z } from 'zod';
import { DELINQUENCY_BUCKETS, LOAN_STATUSES } from '@lendstream/lending';
import type {
  LoanDetailView,
  LoanItemView,
  LoanPageView,
  LoanScheduleView,
  RepaymentView,
} from './loan-views';

/**
 * What the loan routes answer, as schemas for the OpenAPI document (and for tests that check a
 * response against its documentation). Each is typed against its view, so a view that changes
 * without its schema does not compile.
 */
export const Digits = z.string().regex(/^\d+$/).describe('Integer minor units as a string of digits');
export const Instant = z.string().describe('ISO 8601 instant');

const LoanScheduleViewSchema: z.ZodType<LoanScheduleView> = z
  .object({
    disbursedAt: Instant,
    dueAt: Instant.describe('The last millisecond of the due day (UTC)'),
    termDays: z.number().int(),
    dailyRateBps: z.number().int(),
    lastAccruedDay: z.string().nullable().describe('YYYY-MM-DD: the last day whose interest is posted'),
    payoffTodayMinor: Digits.describe('Principal and interest through yesterday: repays the loan today'),
    payoffOnDueDayMinor: Digits.nullable().describe(
      'Repays the loan on its due day if nothing is paid before; null past the due day or once closed',
    ),
  })
  .describe('A bullet loan: principal and interest fall due together at dueAt');

const loanFields = {
  loanId: z.string(),
  merchantId: z.string(),
  creditLineId: z.string(),
  disbursementId: z.string().describe("Treasury's handle on the payout"),
  status: z.enum(LOAN_STATUSES),
  currency: z.string(),
  principalMinor: Digits.describe('What was drawn'),
  dailyRateBps: z.number().int().describe("The line's daily rate at drawdown, fixed for the loan's life"),
  termDays: z.number().int(),
  policyVersion: z.string(),
  requestedAt: Instant,
  disbursedAt: Instant.nullable(),
  dueAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  treasuryRef: z.string().nullable(),
  cancellationReason: z.string().nullable().describe("Treasury's reason for a failed disbursement"),
  outstandingPrincipalMinor: Digits,
  accruedInterestMinor: Digits.describe('Interest posted and not yet paid'),
  principal: z.object({ repaidMinor: Digits, writtenOffMinor: Digits }),
  interest: z.object({
    postedMinor: Digits.describe("Posted over the loan's life"),
    repaidMinor: Digits,
    writtenOffMinor: Digits,
    unpostedMinor: Digits.describe('Interest of ended days the daily review has not posted yet'),
  }),
  daysPastDue: z.number().int().nullable().describe('Null until disbursed'),
  delinquencyBucket: z.enum(DELINQUENCY_BUCKETS).nullable(),
  schedule: LoanScheduleViewSchema.nullable().describe('Null until treasury paid the loan out'),
};

export const LoanItemViewSchema: z.ZodType<LoanItemView> = z.object(loanFields);

export const RepaymentViewSchema: z.ZodType<RepaymentView> = z.object({
  repaymentId: z.string(),
  loanId: z.string(),
  source: z.enum(['MANUAL', 'SETTLEMENT_HOLDBACK']),
  settlementId: z.string().nullable(),
  amountMinor: Digits,
  principalMinor: Digits,
  interestMinor: Digits,
  currency: z.string(),
  collectedAt: Instant,
});

export const LoanDetailViewSchema: z.ZodType<LoanDetailView> = z.object({
  ...loanFields,
  asOf: Instant.describe('The statement is computed as of this instant (now)'),
  repayments: z.array(RepaymentViewSchema).describe('Oldest first'),
});

export const LoanPageViewSchema: z.ZodType<LoanPageView> = z.object({
  asOf: Instant,
  items: z.array(LoanItemViewSchema).describe('Newest first'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next (older) page; null on the last'),
});
