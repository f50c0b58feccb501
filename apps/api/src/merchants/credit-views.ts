import { z } from 'zod';
import { formatAmountMinor } from '@lendstream/contracts';
import type { CreditLineState } from '@lendstream/credit';

/**
 * What the read routes answer: the stored line and decisions as JSON for people and tools.
 * Money is always a string of digits (minor units) next to its currency; times are ISO 8601.
 * Pure: rows in, JSON-safe objects out; a stored value that breaks its own rules throws
 * (a 500 with a reference: the data is wrong, not the request).
 */

export interface ReasonView {
  readonly code: string;
  readonly message: string;
}

export interface LineSnapshotView {
  readonly creditLineId: string;
  readonly status: string;
  readonly currency: string;
  readonly limitMinor: string;
  readonly availableMinor: string;
  readonly outstandingMinor: string;
  readonly reservedMinor: string;
  readonly dailyRateBps: number;
  readonly grade: string;
  readonly score: number;
  readonly manualFreeze: boolean;
}

export interface DecisionView {
  readonly decisionId: string;
  readonly policyVersion: string;
  readonly decidedAt: string;
  readonly recordedAt: string;
  readonly profileAsOf: string | null;
  readonly profileFound: boolean;
  readonly trigger: { readonly kind: string; readonly source: string; readonly id: string };
  /** The scf.credit-lines.v1 event the decision emitted; null when the line did not move. */
  readonly event: string | null;
  /** Why no decision could be made (e.g. a stale signal); null for a decision. */
  readonly rejection: string | null;
  readonly assessment: {
    readonly grade: string | null;
    readonly score: number | null;
    readonly eligible: boolean | null;
  } | null;
  readonly reasons: readonly ReasonView[];
  /** The line as the decision left it; null when the merchant had none after it. */
  readonly line: LineSnapshotView | null;
}

/** A line as it stands (credit_lines, or what a manual command left), without its history. */
export interface LineStateView {
  readonly merchantId: string;
  readonly creditLineId: string;
  readonly status: string;
  readonly currency: string;
  readonly limitMinor: string;
  readonly availableMinor: string;
  readonly outstandingMinor: string;
  readonly reservedMinor: string;
  readonly dailyRateBps: number;
  readonly grade: string;
  readonly score: number;
  readonly manualFreeze: boolean;
  readonly reasons: readonly ReasonView[];
  readonly policyVersion: string;
  readonly profileAsOf: string;
  readonly decidedAt: string;
}

export interface CreditLineView extends LineStateView {
  readonly updatedAt: string;
  /** The decision that last changed the line, with its reasons. */
  readonly lastDecision: DecisionView | null;
}

export interface DecisionPage {
  readonly items: readonly DecisionView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** A `credit_decisions` row as the decisions query selects it. */
export interface DecisionRow {
  readonly decision_id: string;
  readonly policy_version: string;
  readonly trigger_kind: string;
  readonly trigger_source: string;
  readonly trigger_id: string;
  readonly profile_found: boolean;
  readonly profile_as_of: Date | null;
  readonly decided_at: Date;
  readonly recorded_at: Date;
  readonly reasons: unknown;
  readonly resulting_state: unknown;
  readonly rejection: string | null;
  readonly event_type: string | null;
  readonly assessment_grade: string | null;
  readonly assessment_score: number | null;
  readonly assessment_eligible: boolean | null;
}

const Reasons = z.array(z.object({ code: z.string(), message: z.string() }));
const digits = z.string().regex(/^\d{1,19}$/, 'is not a string of digits');
const StoredLine = z.object({
  creditLineId: z.string(),
  status: z.string(),
  currency: z.string(),
  limitMinor: digits,
  availableMinor: digits,
  outstandingMinor: digits,
  reservedMinor: digits,
  dailyRateBps: z.number(),
  grade: z.string(),
  score: z.number(),
  manualFreeze: z.boolean(),
});

export function decisionView(row: DecisionRow): DecisionView {
  const line =
    row.resulting_state === null ? null : stored(StoredLine, row.resulting_state, row, 'resulting_state');
  const hasAssessment =
    row.assessment_grade !== null || row.assessment_score !== null || row.assessment_eligible !== null;
  return {
    decisionId: row.decision_id,
    policyVersion: row.policy_version,
    decidedAt: row.decided_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    profileAsOf: row.profile_as_of === null ? null : row.profile_as_of.toISOString(),
    profileFound: row.profile_found,
    trigger: { kind: row.trigger_kind, source: row.trigger_source, id: row.trigger_id },
    event: row.event_type,
    rejection: row.rejection,
    assessment: hasAssessment
      ? { grade: row.assessment_grade, score: row.assessment_score, eligible: row.assessment_eligible }
      : null,
    reasons: stored(Reasons, row.reasons, row, 'reasons'),
    line:
      line === null
        ? null
        : {
            creditLineId: line.creditLineId,
            status: line.status,
            currency: line.currency,
            limitMinor: line.limitMinor,
            availableMinor: line.availableMinor,
            outstandingMinor: line.outstandingMinor,
            reservedMinor: line.reservedMinor,
            dailyRateBps: line.dailyRateBps,
            grade: line.grade,
            score: line.score,
            manualFreeze: line.manualFreeze,
          },
  };
}

export function creditLineView(
  line: CreditLineState,
  updatedAt: Date,
  lastDecision: DecisionView | null,
): CreditLineView {
  return { ...lineStateView(line), updatedAt: updatedAt.toISOString(), lastDecision };
}

/** The line's state, money as strings of minor units. */
export function lineStateView(line: CreditLineState): LineStateView {
  return {
    merchantId: line.merchantId,
    creditLineId: line.creditLineId,
    status: line.status,
    currency: line.currency,
    limitMinor: formatAmountMinor(line.limitMinor),
    availableMinor: formatAmountMinor(line.availableMinor),
    outstandingMinor: formatAmountMinor(line.outstandingMinor),
    reservedMinor: formatAmountMinor(line.reservedMinor),
    dailyRateBps: line.dailyRateBps,
    grade: line.grade,
    score: line.score,
    manualFreeze: line.manualFreeze,
    reasons: line.reasons.map(({ code, message }) => ({ code, message })),
    policyVersion: line.policyVersion,
    profileAsOf: line.profileAsOf,
    decidedAt: line.decidedAt,
  };
}

function stored<S extends z.ZodType>(
  schema: S,
  value: unknown,
  row: DecisionRow,
  column: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
    .join('; ');
  throw new Error(
    `credit_decisions ${row.decision_id}: ${column} is not as stored by the underwriter: ${problem}`,
  );
}
