import type { EntityManager } from 'typeorm';
import {
  CREDIT_LINE_COLUMNS,
  type CreditLineRow,
  type CreditLineState,
  lineFromRow,
} from '@lendstream/credit';
import type { DecisionRow } from './credit-views';

/**
 * The read side of credit lines and decisions for the ops API: raw SQL over the underwriter's
 * tables (migration CreditLines1795880965852). Read only; live decisions only (shadow
 * decisions of challenger policies are for `npm run policy -- diff`).
 */

const DECISION_COLUMNS = `decision_id, policy_version, trigger_kind, trigger_source, trigger_id, profile_found,
  profile_as_of, decided_at, recorded_at, reasons, resulting_state, rejection, event_type,
  assessment->>'grade' AS assessment_grade,
  (assessment->>'score')::int AS assessment_score,
  (assessment->>'eligible')::boolean AS assessment_eligible`;

export interface StoredCreditLine {
  readonly line: CreditLineState;
  readonly updatedAt: Date;
}

export async function findCreditLine(
  manager: EntityManager,
  merchantId: string,
): Promise<StoredCreditLine | null> {
  const rows: Array<CreditLineRow & { updated_at: Date }> = await manager.query(
    `SELECT ${CREDIT_LINE_COLUMNS}, updated_at FROM credit_lines WHERE merchant_id = $1`,
    [merchantId],
  );
  const row = rows[0];
  return row === undefined ? null : { line: lineFromRow(row), updatedAt: row.updated_at };
}

export async function findDecision(manager: EntityManager, decisionId: string): Promise<DecisionRow | null> {
  const rows: DecisionRow[] = await manager.query(
    `SELECT ${DECISION_COLUMNS} FROM credit_decisions WHERE decision_id = $1`,
    [decisionId],
  );
  return rows[0] ?? null;
}

/** True when `decisionId` is one of the merchant's live decisions (a cursor must name one). */
export async function isLiveDecisionOf(
  manager: EntityManager,
  merchantId: string,
  decisionId: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM credit_decisions WHERE decision_id = $1 AND merchant_id = $2 AND NOT shadow`,
    [decisionId, merchantId],
  );
  return rows.length === 1;
}

/**
 * Up to `limit` live decisions of the merchant, newest first (by business time, then by when
 * they were recorded, then by id), older than the decision `after` when given. Served by the
 * index credit_decisions_by_merchant_newest.
 */
export async function listDecisions(
  manager: EntityManager,
  merchantId: string,
  limit: number,
  after: string | undefined,
): Promise<DecisionRow[]> {
  return manager.query(
    `SELECT ${DECISION_COLUMNS} FROM credit_decisions
     WHERE merchant_id = $1 AND NOT shadow
       AND ($2::uuid IS NULL OR (decided_at, recorded_at, decision_id) <
            (SELECT decided_at, recorded_at, decision_id FROM credit_decisions WHERE decision_id = $2::uuid))
     ORDER BY decided_at DESC, recorded_at DESC, decision_id DESC
     LIMIT $3`,
    [merchantId, after ?? null, limit],
  );
}
