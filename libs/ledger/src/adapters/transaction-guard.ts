import type { EntityManager } from 'typeorm';

/**
 * Posting is only correct inside the caller's transaction: the entry, its lines and the
 * business change that caused them (a loan's state, an inbox row, an outbox event) commit or
 * roll back together, and the database's balance check runs at that commit. Outside one, the
 * entry row would commit alone and be refused for having no lines, so it is refused here,
 * loudly and earlier.
 */
export function assertInsideTransaction(manager: EntityManager, operation: string): void {
  if (manager.queryRunner?.isTransactionActive !== true) {
    throw new Error(
      `${operation} must run inside the caller's transaction (dataSource.transaction(manager => ...)), so that the entry commits with the change it records`,
    );
  }
}
