import type { EntityManager } from 'typeorm';
import { assertCreditLineState, CreditLineState } from '../credit-line-state';
import { CREDIT_LINE_COLUMNS, CreditLineRow, lineFromRow, lineParameters } from './credit-line-row';

/** A merchant's line under lock, with the business time of the newest decision about it. */
export interface LockedLine {
  readonly line: CreditLineState | null;
  /** Null when the merchant has no line row yet. */
  readonly lastDecidedAt: string | null;
}

/**
 * Serialises every decision about one merchant: a transaction-level advisory lock on the
 * merchant (it exists even when the line row does not yet, so two first decisions cannot both
 * insert), then the row itself FOR UPDATE (so writers that lock only the row, such as a
 * drawdown reserving on the line, also wait). Released at commit or rollback.
 */
export async function lockCreditLine(manager: EntityManager, merchantId: string): Promise<LockedLine> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('credit-line:' || $1, 0))`, [
    merchantId,
  ]);
  const rows: CreditLineRow[] = await manager.query(
    `SELECT ${CREDIT_LINE_COLUMNS} FROM credit_lines WHERE merchant_id = $1 FOR UPDATE`,
    [merchantId],
  );
  const row = rows[0];
  if (row === undefined) return { line: null, lastDecidedAt: null };
  const line = lineFromRow(row);
  assertCreditLineState(line); // just after reading: a corrupt row crashes loudly, it is never decided on
  return { line, lastDecidedAt: row.last_decided_at.toISOString() };
}

/** The business time of the newest decision about a merchant, read without a lock (a hint; re-checked under the lock). */
export async function lastDecidedAtOf(manager: EntityManager, merchantId: string): Promise<string | null> {
  const rows: Array<{ last_decided_at: Date }> = await manager.query(
    `SELECT last_decided_at FROM credit_lines WHERE merchant_id = $1`,
    [merchantId],
  );
  return rows[0]?.last_decided_at.toISOString() ?? null;
}

/** Writes the line after a decision (insert or replace); call with the merchant locked. */
export async function saveCreditLine(
  manager: EntityManager,
  line: CreditLineState,
  lastDecidedAt: string,
): Promise<void> {
  assertCreditLineState(line); // just before writing
  const columns = CREDIT_LINE_COLUMNS.split(',').map((column) => column.trim());
  const placeholders = columns.map((column, index) =>
    column === 'reasons' ? `$${index + 1}::jsonb` : `$${index + 1}`,
  );
  const updates = columns
    .filter((column) => column !== 'merchant_id')
    .map((column) => `${column} = EXCLUDED.${column}`);
  await manager.query(
    `INSERT INTO credit_lines (${columns.join(', ')}) VALUES (${placeholders.join(', ')})
     ON CONFLICT (merchant_id) DO UPDATE SET ${updates.join(', ')},
       version = credit_lines.version + 1, updated_at = now()`,
    lineParameters(line, lastDecidedAt),
  );
}

/** Records a decision that left the line as it was: only its business time moves. */
export async function touchCreditLine(
  manager: EntityManager,
  merchantId: string,
  lastDecidedAt: string,
): Promise<void> {
  await manager.query(
    `UPDATE credit_lines SET last_decided_at = greatest(last_decided_at, $2::timestamptz), updated_at = now()
     WHERE merchant_id = $1`,
    [merchantId, lastDecidedAt],
  );
}
