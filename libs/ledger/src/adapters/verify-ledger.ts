import type { DataSource, EntityManager } from 'typeorm';
import {
  assertCheckNames,
  Breach,
  CheckOutcome,
  checkOutcome,
  LedgerVerification,
  ledgerVerification,
} from '../verification';

/**
 * One invariant of the books, checked against the stored rows. The ledger has its own
 * (ledgerIntegrityChecks); lending adds its (each loan's balances equal its ledger balances,
 * no line's available amount is negative) by passing more of these to verifyLedger.
 */
export interface LedgerCheck {
  /** Lower-case words joined by "-", unique in a run: what a person greps for. */
  readonly name: string;
  /** The invariant, as a sentence that is true of a healthy book. */
  readonly description: string;
  /**
   * Every breach found, or at most MAX_BREACHES_PER_CHECK + 1 of them (one more than kept
   * tells the report there were more). Read-only: verification runs in a read-only snapshot.
   */
  run(manager: EntityManager): Promise<readonly Breach[]>;
}

const SAVEPOINT = 'ledger_check';

/**
 * Runs every check, in order, and reports each with its breaches. A check that throws is
 * reported with its error (the invariant is unverified, which fails the verification) and the
 * next one still runs: inside a transaction each check runs under a savepoint, so one failed
 * query does not abort the rest.
 *
 * Give it a manager in one snapshot (verifyLedgerInSnapshot) so that every check sees the
 * same moment: a posting that lands between two checks could otherwise make a loan's ledger
 * balance and its loan row disagree for no reason but timing.
 */
export async function verifyLedger(
  manager: EntityManager,
  checks: readonly LedgerCheck[],
): Promise<LedgerVerification> {
  assertCheckNames(checks.map((check) => check.name));
  const inTransaction = manager.queryRunner?.isTransactionActive === true;
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    if (inTransaction) await manager.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      outcomes.push(checkOutcome(check, await check.run(manager)));
      if (inTransaction) await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    } catch (error) {
      if (inTransaction) await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      outcomes.push(checkOutcome(check, error instanceof Error ? error : new Error(String(error))));
    }
  }
  return ledgerVerification(outcomes);
}

/**
 * verifyLedger in one REPEATABLE READ, READ ONLY transaction: every check reads the same
 * snapshot, and none can write.
 */
export function verifyLedgerInSnapshot(
  dataSource: DataSource,
  checks: readonly LedgerCheck[],
): Promise<LedgerVerification> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    return verifyLedger(manager, checks);
  });
}
