import type { EntityManager } from 'typeorm';

/**
 * The inbox and outbox writes are only correct inside the caller's transaction: that is what
 * makes the effect, its inbox row and its outbox rows commit (or roll back) together. Outside
 * one, each statement would commit on its own, which is exactly the bug they exist to prevent,
 * so it is refused loudly rather than run.
 */
export function assertInsideTransaction(manager: EntityManager, operation: string): void {
  if (manager.queryRunner?.isTransactionActive !== true) {
    throw new Error(
      `${operation} must run inside the caller's transaction (dataSource.transaction(manager => ...)), so that it commits with the change it records`,
    );
  }
}

/** The channel writers NOTIFY on commit and relays LISTEN to; the payload is the outbox's schema. */
export const OUTBOX_NOTIFY_CHANNEL = 'lendstream_outbox';
