import type { EntityManager } from 'typeorm';
import { CREDIT_DECISION_COLUMNS, CreditDecisionRow, DECISION_PAGE_SIZE_MAX } from './credit-decision-store';

/**
 * One page of every decision, live and shadow, in decision id order after `afterDecisionId`.
 *
 * Keyed on the primary key, not on `recorded_at`: a timestamp read back as a JavaScript Date
 * keeps milliseconds while the column keeps microseconds, so a time cursor re-reads the last
 * row of each page. The key is exact, indexed, and a replay needs no particular order.
 */
export async function readDecisionPageById(
  manager: EntityManager,
  afterDecisionId: string | null,
  pageSize: number,
): Promise<CreditDecisionRow[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DECISION_PAGE_SIZE_MAX)
    throw new RangeError(`pageSize must be 1..${DECISION_PAGE_SIZE_MAX}, got ${pageSize}`);
  return manager.query(
    `SELECT ${CREDIT_DECISION_COLUMNS} FROM credit_decisions
     WHERE $1::uuid IS NULL OR decision_id > $1::uuid
     ORDER BY decision_id LIMIT $2`,
    [afterDecisionId, pageSize],
  );
}
