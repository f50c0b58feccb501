import type { EntityManager } from 'typeorm';
import { assertCreditLineState, CreditLineState } from '../credit-line-state';
import { JsonValue } from '../json-safe';
import { Reason } from '../reason';
import { StoredCreditDecision, STORED_DECISION_FORMAT } from '../stored-decision';

/** What set a decision off: a profile signal (its CloudEvents source and id) or a sweep of the clock. */
export interface DecisionTrigger {
  readonly kind: 'signal' | 'silence-sweep' | 'budget-sweep';
  readonly source: string;
  readonly id: string;
}

export interface DecisionRecord {
  readonly stored: StoredCreditDecision;
  readonly shadow: boolean;
  readonly trigger: DecisionTrigger;
  /** False when the profile store had no profile: the decision saw an empty one (fail closed). */
  readonly profileFound: boolean;
  readonly reasons: readonly Reason[];
}

/**
 * Inserts a decision; false when a decision with its id already exists. Decision ids are
 * derived from the trigger, so "exists" means this very decision was made and committed
 * before (a re-published signal after the inbox forgot it, a sweep at the same clock): the
 * caller then changes nothing.
 */
export async function insertCreditDecision(manager: EntityManager, record: DecisionRecord): Promise<boolean> {
  const { stored } = record;
  const features = stored.inputs.features as { asOf?: unknown } | null;
  const rows: unknown[] = await manager.query(
    `INSERT INTO credit_decisions (decision_id, merchant_id, policy_version, policy_fingerprint, shadow,
       trigger_kind, trigger_source, trigger_id, profile_found, profile_as_of, decided_at, features, inputs,
       assessment, reasons, resulting_state, budget_fit, rejection, event_type)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb, $15::jsonb,
       $16::jsonb, $17::jsonb, $18, $19)
     ON CONFLICT (decision_id) DO NOTHING
     RETURNING 1`,
    [
      stored.decisionId,
      stored.merchantId,
      stored.policyVersion,
      stored.policyFingerprint,
      record.shadow,
      record.trigger.kind,
      record.trigger.source,
      record.trigger.id,
      record.profileFound,
      typeof features?.asOf === 'string' ? features.asOf : null,
      stored.decidedAt,
      jsonOrNull(stored.inputs.features),
      JSON.stringify({
        format: stored.format,
        decidedAt: stored.decidedAt,
        command: stored.inputs.command,
        lending: stored.inputs.lending,
        budget: stored.inputs.budget,
        previousLine: stored.inputs.previousLine,
        newCreditLineId: stored.inputs.newCreditLineId,
      }),
      jsonOrNull(stored.outputs.assessment),
      JSON.stringify(record.reasons),
      jsonOrNull(stored.outputs.nextLine),
      jsonOrNull(stored.outputs.budgetFit),
      stored.outputs.rejection,
      stored.outputs.event,
    ],
  );
  return rows.length === 1;
}

const jsonOrNull = (value: JsonValue | null): string | null =>
  value === null ? null : JSON.stringify(value);

/** A `credit_decisions` row as replay reads it. */
export interface CreditDecisionRow {
  readonly decision_id: string;
  readonly merchant_id: string;
  readonly policy_version: string;
  readonly policy_fingerprint: string;
  readonly shadow: boolean;
  readonly trigger_kind: DecisionTrigger['kind'];
  readonly profile_found: boolean;
  readonly features: JsonValue | null;
  readonly inputs: {
    readonly format: number;
    readonly decidedAt: string;
    readonly command: StoredCreditDecision['inputs']['command'];
    readonly lending: JsonValue;
    readonly budget: JsonValue | null;
    readonly previousLine: JsonValue | null;
    readonly newCreditLineId: string;
  };
  readonly assessment: JsonValue | null;
  readonly resulting_state: JsonValue | null;
  readonly budget_fit: JsonValue | null;
  readonly rejection: string | null;
  readonly event_type: StoredCreditDecision['outputs']['event'];
  readonly recorded_at: Date;
}

export const CREDIT_DECISION_COLUMNS = `decision_id, merchant_id, policy_version, policy_fingerprint, shadow,
  trigger_kind, profile_found, features, inputs, assessment, resulting_state, budget_fit, rejection, event_type,
  recorded_at`;

/** The stored decision a row holds, as recomputeDecision takes it. */
export function storedDecisionOfRow(row: CreditDecisionRow): StoredCreditDecision {
  return {
    format: row.inputs.format as typeof STORED_DECISION_FORMAT,
    decisionId: row.decision_id,
    merchantId: row.merchant_id,
    policyVersion: row.policy_version,
    policyFingerprint: row.policy_fingerprint,
    decidedAt: row.inputs.decidedAt,
    inputs: {
      command: row.inputs.command,
      features: row.features,
      lending: row.inputs.lending,
      budget: row.inputs.budget,
      previousLine: row.inputs.previousLine,
      newCreditLineId: row.inputs.newCreditLineId,
    },
    outputs: {
      assessment: row.assessment,
      event: row.event_type,
      nextLine: row.resulting_state,
      budgetFit: row.budget_fit,
      rejection: row.rejection,
    },
  };
}

/** Most decisions one page of a scan reads. */
export const DECISION_PAGE_SIZE_MAX = 1_000;

/**
 * The line a challenger policy would hold now: the resulting state of its newest shadow
 * decision about the merchant, so that a shadow policy evolves its own line (hysteresis,
 * freezes) as it would have live. Null when it never granted one.
 */
export async function latestShadowLine(
  manager: EntityManager,
  merchantId: string,
  policyVersion: string,
): Promise<CreditLineState | null> {
  const rows: Array<{ resulting_state: Record<string, unknown> | null }> = await manager.query(
    `SELECT resulting_state FROM credit_decisions
     WHERE merchant_id = $1 AND policy_version = $2 AND shadow
     ORDER BY decided_at DESC, recorded_at DESC LIMIT 1`,
    [merchantId, policyVersion],
  );
  const state = rows[0]?.resulting_state ?? null;
  return state === null ? null : lineOfJson(state);
}

const AMOUNT_FIELDS = [
  'limitMinor',
  'availableMinor',
  'outstandingMinor',
  'reservedMinor',
  'requestedLimitMinor',
] as const;

/** A line stored as JSON (amounts as digit strings) back to its state, checked just after reading. */
export function lineOfJson(json: Record<string, unknown>): CreditLineState {
  const amounts: Record<string, bigint> = {};
  for (const field of AMOUNT_FIELDS) {
    const value = json[field];
    if (typeof value !== 'string' || !/^\d{1,40}$/.test(value))
      throw new RangeError(`stored line ${field} is not a string of digits: ${String(value)}`);
    amounts[field] = BigInt(value);
  }
  const line = { ...json, ...amounts } as unknown as CreditLineState;
  assertCreditLineState(line);
  return line;
}
