import type { EntityManager } from 'typeorm';

/**
 * Lending's writes are correct only inside the caller's transaction: the loan, its line, its
 * journal entries, its outbox events (and the inbox row or idempotency key of the request that
 * caused them) commit together or not at all. Outside one they are refused, loudly.
 */
export function assertInTransaction(manager: EntityManager, operation: string): void {
  if (manager.queryRunner?.isTransactionActive !== true)
    throw new Error(
      `${operation} must run inside the caller's transaction (dataSource.transaction(manager => ...))`,
    );
}
