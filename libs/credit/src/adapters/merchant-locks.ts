import type { EntityManager } from 'typeorm';

/**
 * A transaction-level advisory lock per merchant in the `namespace` ('credit-line' for the live
 * lines, 'shadow-line' for the challengers'), released at commit or rollback. Taken in one
 * order for every locker (code-unit order, sorted here), so two transactions locking
 * overlapping sets never deadlock.
 */
export async function lockMerchantsInOrder(
  manager: EntityManager,
  namespace: 'credit-line' | 'shadow-line',
  merchantIds: readonly string[],
): Promise<void> {
  if (merchantIds.length === 0) return;
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || merchant_id, 0))
     FROM unnest($2::text[]) WITH ORDINALITY AS wanted(merchant_id, position)
     ORDER BY position`,
    [namespace, [...new Set(merchantIds)].sort()],
  );
}
