import type { EntityManager } from 'typeorm';
import { assertCreditLineState, CreditLineState } from '../credit-line-state';
import { JsonValue } from '../json-safe';
import { Reason } from '../reason';
import { StoredCreditDecision, STORED_DECISION_FORMAT } from '../stored-decision';

/**
 * What set a decision off: a profile signal or a loan event (its CloudEvents source and id), a
 * sweep of the clock, or a person (a manual freeze through the ops API).
 */
export interface DecisionTrigger {
  readonly kind: 'signal' | 'loan-event' | 'silence-sweep' | 'budget-sweep' | 'manual';
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
 * The columns a decision is inserted with, and their Postgres types: the record type of
 * `jsonb_to_recordset`, so a batch travels as one JSON document (see insertCreditDecisions).
 */
const DECISION_COLUMN_TYPES = {
  decision_id: 'uuid',
  merchant_id: 'text',
  policy_version: 'text',
  policy_fingerprint: 'text',
  shadow: 'boolean',
  trigger_kind: 'text',
  trigger_source: 'text',
  trigger_id: 'text',
  profile_found: 'boolean',
  profile_as_of: 'timestamptz',
  decided_at: 'timestamptz',
  features: 'jsonb',
  inputs: 'jsonb',
  assessment: 'jsonb',
  reasons: 'jsonb',
  resulting_state: 'jsonb',
  budget_fit: 'jsonb',
  rejection: 'text',
  event_type: 'text',
} as const;
/** A row as JSON.stringify writes it for jsonb_to_recordset (every value JSON-safe already). */
type DecisionRow = { readonly [column in keyof typeof DECISION_COLUMN_TYPES]: unknown };
const DECISION_COLUMNS = Object.keys(DECISION_COLUMN_TYPES).join(', ');
const DECISION_RECORD_TYPE = Object.entries(DECISION_COLUMN_TYPES)
  .map(([column, type]) => `${column} ${type}`)
  .join(', ');
/** Rows per statement: bounds one statement's size (each row carries a few KB of JSON). */
const DECISIONS_PER_STATEMENT = 1_000;

function decisionRow(record: DecisionRecord): DecisionRow {
  const { stored } = record;
  const features = stored.inputs.features as { asOf?: unknown } | null;
  return {
    decision_id: stored.decisionId,
    merchant_id: stored.merchantId,
    policy_version: stored.policyVersion,
    policy_fingerprint: stored.policyFingerprint,
    shadow: record.shadow,
    trigger_kind: record.trigger.kind,
    trigger_source: record.trigger.source,
    trigger_id: record.trigger.id,
    profile_found: record.profileFound,
    profile_as_of: typeof features?.asOf === 'string' ? features.asOf : null,
    decided_at: stored.decidedAt,
    features: stored.inputs.features,
    inputs: {
      format: stored.format,
      decidedAt: stored.decidedAt,
      command: stored.inputs.command,
      lending: stored.inputs.lending,
      budget: stored.inputs.budget,
      previousLine: stored.inputs.previousLine,
      newCreditLineId: stored.inputs.newCreditLineId,
    },
    assessment: stored.outputs.assessment,
    reasons: record.reasons,
    resulting_state: stored.outputs.nextLine,
    budget_fit: stored.outputs.budgetFit,
    rejection: stored.outputs.rejection,
    event_type: stored.outputs.event,
  };
}

/**
 * Inserts decisions, several per statement; returns the ids actually inserted. With
 * `queueForShadow`, each live decision inserted is also queued for the shadow lane
 * (shadow-lane.ts) in the same statement: the challengers decide it after commit, off the
 * path from a signal to its event. Decision ids are
 * derived from the trigger, so an id that exists means this very decision was made and
 * committed before (a re-published signal after the inbox forgot it, a sweep at the same
 * clock): it is left as it was.
 *
 * A batch is one JSON document read by `jsonb_to_recordset`: one JSON.stringify of the rows, a
 * fixed, small statement Postgres plans once. (Arrays per column through unnest cost twice:
 * each row's JSON stringified, then escaped again, character by character, into an array
 * literal.) jsonb, not json: the document is parsed once and each jsonb column is a slice of it,
 * where `json_to_recordset` scans the text and then parses every jsonb column's text again
 * (~20 % of the insert's Postgres time on 500 decisions).
 */
export async function insertCreditDecisions(
  manager: EntityManager,
  records: readonly DecisionRecord[],
  { queueForShadow = false }: { readonly queueForShadow?: boolean } = {},
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let start = 0; start < records.length; start += DECISIONS_PER_STATEMENT) {
    const rows = records.slice(start, start + DECISIONS_PER_STATEMENT).map(decisionRow);
    const insertedRows: Array<{ decision_id: string }> = await manager.query(
      `WITH inserted AS (
         INSERT INTO credit_decisions (${DECISION_COLUMNS})
         SELECT ${DECISION_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS decision(${DECISION_RECORD_TYPE})
         ON CONFLICT (decision_id) DO NOTHING
         RETURNING decision_id, merchant_id, shadow),
       queued AS (
         INSERT INTO shadow_decision_queue (decision_id, merchant_id)
         SELECT decision_id, merchant_id FROM inserted WHERE $2::boolean AND NOT shadow)
       SELECT decision_id FROM inserted`,
      [JSON.stringify(rows), queueForShadow],
    );
    for (const row of insertedRows) inserted.add(row.decision_id);
  }
  return inserted;
}

/** Inserts one decision; false when a decision with its id already exists (see insertCreditDecisions). */
export async function insertCreditDecision(manager: EntityManager, record: DecisionRecord): Promise<boolean> {
  return (await insertCreditDecisions(manager, [record])).has(record.stored.decisionId);
}

/** Which of these decision ids are already stored. */
export async function existingDecisionIds(
  manager: EntityManager,
  decisionIds: readonly string[],
): Promise<Set<string>> {
  if (decisionIds.length === 0) return new Set();
  const rows: Array<{ decision_id: string }> = await manager.query(
    `SELECT decision_id FROM credit_decisions WHERE decision_id = ANY($1::uuid[])`,
    [decisionIds],
  );
  return new Set(rows.map((row) => row.decision_id));
}

/** A `credit_decisions` row as replay reads it. */
/**
 * The business time of each merchant's newest live decision, read from the decisions
 * themselves: for merchants without a line row (declined from the start, so no
 * `credit_lines.last_decided_at` orders their decisions). One probe of
 * credit_decisions_by_merchant_newest per merchant; merchants never decided are absent.
 */
export async function newestLiveDecisionTimes(
  manager: EntityManager,
  merchantIds: readonly string[],
): Promise<Map<string, string>> {
  if (merchantIds.length === 0) return new Map();
  const rows: Array<{ merchant_id: string; decided_at: Date }> = await manager.query(
    `SELECT wanted.merchant_id, newest.decided_at
     FROM unnest($1::text[]) AS wanted(merchant_id)
     CROSS JOIN LATERAL (
       SELECT decided_at FROM credit_decisions
       WHERE merchant_id = wanted.merchant_id AND NOT shadow
       ORDER BY decided_at DESC LIMIT 1) AS newest`,
    [merchantIds],
  );
  return new Map(rows.map((row) => [row.merchant_id, row.decided_at.toISOString()]));
}

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

export const shadowLineKey = (merchantId: string, policyVersion: string): string =>
  `${merchantId}\n${policyVersion}`;

/** A policy's newest shadow decision about a merchant: when it was made as of, and the line it left (null: none). */
export interface LatestShadowDecision {
  readonly decidedAt: string;
  readonly line: CreditLineState | null;
}

/** The newest shadow decision of every merchant × policy version, keyed by shadowLineKey; absent when it never decided. One statement, one index probe each. */
export async function latestShadowDecisions(
  manager: EntityManager,
  merchantIds: readonly string[],
  policyVersions: readonly string[],
): Promise<Map<string, LatestShadowDecision>> {
  const decisions = new Map<string, LatestShadowDecision>();
  if (merchantIds.length === 0 || policyVersions.length === 0) return decisions;
  const rows: Array<{
    merchant_id: string;
    policy_version: string;
    decided_at: Date;
    resulting_state: Record<string, unknown> | null;
  }> = await manager.query(
    `SELECT wanted.merchant_id, version.policy_version, newest.decided_at, newest.resulting_state
       FROM unnest($1::text[]) AS wanted(merchant_id)
       CROSS JOIN unnest($2::text[]) AS version(policy_version)
       CROSS JOIN LATERAL (
         SELECT decided_at, resulting_state FROM credit_decisions
         WHERE merchant_id = wanted.merchant_id AND policy_version = version.policy_version AND shadow
         ORDER BY decided_at DESC, recorded_at DESC LIMIT 1) AS newest`,
    [merchantIds, policyVersions],
  );
  for (const row of rows)
    decisions.set(shadowLineKey(row.merchant_id, row.policy_version), {
      decidedAt: row.decided_at.toISOString(),
      line: row.resulting_state === null ? null : lineOfJson(row.resulting_state),
    });
  return decisions;
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
