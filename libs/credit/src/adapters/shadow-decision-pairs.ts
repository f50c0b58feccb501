import type { EntityManager } from 'typeorm';
import { DECISION_PAGE_SIZE_MAX } from './credit-decision-store';

/** A challenger's decision beside the live decision of the same trigger, as a policy diff reads them. */
export interface ShadowDecisionPair {
  readonly shadowDecisionId: string;
  readonly merchantId: string;
  readonly triggerId: string;
  /** The line each policy would hold after the decision (amounts as digit strings); null: none. */
  readonly liveLine: Record<string, unknown> | null;
  readonly shadowLine: Record<string, unknown> | null;
}

interface PairRow {
  readonly shadow_decision_id: string;
  readonly merchant_id: string;
  readonly trigger_id: string;
  readonly live_line: Record<string, unknown> | null;
  readonly shadow_line: Record<string, unknown> | null;
}

/**
 * One page of a challenger's shadow decisions joined to their live twins. A shadow decision
 * shares its trigger (kind, source, id) and merchant with the live one it was decided after
 * (shadow-lane.ts); a live decision the lane coalesced under load has no shadow twin and is not
 * paired, and a shadow without a live twin (impossible: the lane decides only stored live
 * decisions) would be left out. Keyset on the shadow decision id keeps every query bounded.
 */
export async function readShadowDecisionPairs(
  manager: EntityManager,
  challengerVersion: string,
  afterShadowDecisionId: string | null,
  pageSize: number,
): Promise<ShadowDecisionPair[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DECISION_PAGE_SIZE_MAX)
    throw new RangeError(`pageSize must be 1..${DECISION_PAGE_SIZE_MAX}, got ${pageSize}`);
  const rows: PairRow[] = await manager.query(
    `SELECT shadow.decision_id AS shadow_decision_id, shadow.merchant_id, shadow.trigger_id,
            live.resulting_state AS live_line, shadow.resulting_state AS shadow_line
     FROM credit_decisions shadow
     JOIN credit_decisions live
       ON NOT live.shadow AND live.trigger_id = shadow.trigger_id AND live.trigger_kind = shadow.trigger_kind
      AND live.trigger_source = shadow.trigger_source AND live.merchant_id = shadow.merchant_id
     WHERE shadow.shadow AND shadow.policy_version = $1 AND ($2::uuid IS NULL OR shadow.decision_id > $2::uuid)
     ORDER BY shadow.decision_id
     LIMIT $3`,
    [challengerVersion, afterShadowDecisionId, pageSize],
  );
  return rows.map((row) => ({
    shadowDecisionId: row.shadow_decision_id,
    merchantId: row.merchant_id,
    triggerId: row.trigger_id,
    liveLine: row.live_line,
    shadowLine: row.shadow_line,
  }));
}
