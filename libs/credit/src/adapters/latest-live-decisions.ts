import type { EntityManager } from 'typeorm';
import { CREDIT_DECISION_COLUMNS, CreditDecisionRow, DECISION_PAGE_SIZE_MAX } from './credit-decision-store';

/**
 * One page of each merchant's newest live decision, merchants in id order after `afterMerchantId`
 * (keyset paging, so a scan of every merchant stays bounded per query). "Newest" is the order
 * the underwriter itself uses (decided_at, then recorded_at), served by
 * credit_decisions_by_merchant_newest. A profile replay recomputes these: the newest decision
 * is the one that saw the profile a rebuild from the whole log reproduces.
 */
export async function readLatestLiveDecisionPage(
  manager: EntityManager,
  afterMerchantId: string | null,
  pageSize: number,
): Promise<CreditDecisionRow[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DECISION_PAGE_SIZE_MAX)
    throw new RangeError(`pageSize must be 1..${DECISION_PAGE_SIZE_MAX}, got ${pageSize}`);
  return manager.query(
    `SELECT DISTINCT ON (merchant_id) ${CREDIT_DECISION_COLUMNS}
     FROM credit_decisions
     WHERE NOT shadow AND ($1::text IS NULL OR merchant_id > $1)
     ORDER BY merchant_id, decided_at DESC, recorded_at DESC
     LIMIT $2`,
    [afterMerchantId, pageSize],
  );
}
