import { z } from 'zod';
import type { CreditLineView, DecisionPage, DecisionView, LineStateView } from './credit-views';

/**
 * What the credit routes answer, as schemas for the OpenAPI document (and for tests that
 * check a response against its documentation). Each is typed against its view, so a view that
 * changes without its schema does not compile.
 */
const Digits = z.string().regex(/^\d+$/).describe('Integer minor units as a string of digits');
const Instant = z.string().describe('ISO 8601 instant');

export const ReasonSchema = z.object({
  code: z.string().describe('Stable reason code, e.g. STOCKOUT_RATE_HIGH, MANUAL_FREEZE, PORTFOLIO_BUDGET'),
  message: z.string(),
});

const lineFields = {
  creditLineId: z.string(),
  status: z.enum(['ACTIVE', 'FROZEN', 'CLOSED']),
  currency: z.string(),
  limitMinor: Digits,
  availableMinor: Digits,
  outstandingMinor: Digits,
  reservedMinor: Digits,
  dailyRateBps: z.number().int(),
  grade: z.string(),
  score: z.number().int(),
  manualFreeze: z.boolean().describe('Frozen by operations: only an unfreeze lifts it'),
};

export const DecisionViewSchema: z.ZodType<DecisionView> = z.object({
  decisionId: z.string(),
  policyVersion: z.string(),
  decidedAt: Instant.describe('Business (event) time the decision was made as of'),
  recordedAt: Instant,
  profileAsOf: Instant.nullable(),
  profileFound: z.boolean(),
  trigger: z.object({
    kind: z.string().describe('signal, silence-sweep, budget-sweep or manual'),
    source: z.string(),
    id: z.string(),
  }),
  event: z
    .string()
    .nullable()
    .describe('The scf.credit-lines.v1 event emitted; null when the line did not move'),
  rejection: z.string().nullable(),
  assessment: z
    .object({ grade: z.string().nullable(), score: z.number().nullable(), eligible: z.boolean().nullable() })
    .nullable(),
  reasons: z.array(ReasonSchema),
  line: z.object(lineFields).nullable().describe('The line as the decision left it'),
});

export const LineStateViewSchema: z.ZodType<LineStateView> = z.object({
  merchantId: z.string(),
  ...lineFields,
  reasons: z.array(ReasonSchema),
  policyVersion: z.string(),
  profileAsOf: Instant,
  decidedAt: Instant,
});

export const CreditLineViewSchema: z.ZodType<CreditLineView> = z.object({
  merchantId: z.string(),
  ...lineFields,
  reasons: z.array(ReasonSchema),
  policyVersion: z.string(),
  profileAsOf: Instant,
  decidedAt: Instant,
  updatedAt: Instant,
  lastDecision: DecisionViewSchema.nullable(),
});

export const DecisionPageSchema: z.ZodType<DecisionPage> = z.object({
  items: z.array(DecisionViewSchema),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next (older) page; null on the last'),
});
