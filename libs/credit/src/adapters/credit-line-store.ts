import type { EntityManager } from 'typeorm';
import { assertCreditLineState, CreditLineState } from '../credit-line-state';
import { newestLiveDecisionTimes } from './credit-decision-store';
import { CREDIT_LINE_COLUMNS, CreditLineRow, lineFromRow, lineParameters } from './credit-line-row';
import { lockMerchantsInOrder } from './merchant-locks';

/** A merchant's line under lock, with the business time of the newest decision about it. */
export interface LockedLine {
  readonly line: CreditLineState | null;
  /**
   * The business time of the newest decision about the merchant: the line's, or without a line
   * row that of its newest live decision (a declined merchant's decisions are ordered too); null
   * when it was never decided.
   */
  readonly lastDecidedAt: string | null;
  /** The row's write count (`credit_lines.version`); null without a row. */
  readonly version: string | null;
}

/**
 * Serialises every decision about the merchants: a transaction-level advisory lock per merchant
 * (it exists even when the line row does not yet, so two first decisions cannot both insert),
 * taken in merchant-id order so that two batches never deadlock, then the rows themselves FOR
 * UPDATE (so writers that lock only the row, such as a drawdown reserving on the line, also
 * wait). Released at commit or rollback. Every merchant asked for is in the result.
 */
export async function lockCreditLines(
  manager: EntityManager,
  merchantIds: readonly string[],
): Promise<Map<string, LockedLine>> {
  if (merchantIds.length > 0) await lockMerchantsInOrder(manager, 'credit-line', merchantIds);
  return readCreditLines(manager, merchantIds, 'FOR UPDATE');
}

/** One merchant's line under lock (lockCreditLines for one). */
export async function lockCreditLine(manager: EntityManager, merchantId: string): Promise<LockedLine> {
  return (await lockCreditLines(manager, [merchantId])).get(merchantId)!;
}

/** A merchant's line as last committed, read without a lock (see peekCreditLines). */
export type PeekedLine = LockedLine;

/**
 * Each merchant's line, the business time of its newest decision and the line's version (as
 * LockedLine defines them), read without a lock: hints for preparing a batch (the instant to
 * decide as of, the line a forecast starts from, the version a request that read a profile
 * checks under the lock), every one re-checked under the lock. Every merchant asked for is in
 * the result.
 */
export function peekCreditLines(
  manager: EntityManager,
  merchantIds: readonly string[],
): Promise<Map<string, PeekedLine>> {
  return readCreditLines(manager, merchantIds, '');
}

/** The lines of lockCreditLines and peekCreditLines, with `FOR UPDATE` or without. */
async function readCreditLines(
  manager: EntityManager,
  merchantIds: readonly string[],
  locking: 'FOR UPDATE' | '',
): Promise<Map<string, LockedLine>> {
  const read = new Map<string, LockedLine>(
    merchantIds.map((merchantId) => [merchantId, { line: null, lastDecidedAt: null, version: null }]),
  );
  if (merchantIds.length === 0) return read;
  const rows: Array<CreditLineRow & { version: string }> = await manager.query(
    `SELECT ${CREDIT_LINE_COLUMNS}, version::text AS version FROM credit_lines WHERE merchant_id = ANY($1::text[])
     ORDER BY merchant_id COLLATE "C" ${locking}`,
    [merchantIds],
  );
  for (const row of rows) {
    const line = lineFromRow(row);
    assertCreditLineState(line); // just after reading: a corrupt row crashes loudly, it is never decided on
    read.set(row.merchant_id, { line, lastDecidedAt: row.last_decided_at.toISOString(), version: row.version });
  }
  const withoutLine = merchantIds.filter((merchantId) => read.get(merchantId)!.line === null);
  for (const [merchantId, decidedAt] of await newestLiveDecisionTimes(manager, withoutLine))
    read.set(merchantId, { line: null, lastDecidedAt: decidedAt, version: null });
  return read;
}

/**
 * The business time of the newest decision about each merchant (as LockedLine.lastDecidedAt
 * defines it), read without a lock: hints, re-checked under the lock. Merchants never decided
 * are absent.
 */
export async function lastDecidedAtOfMany(
  manager: EntityManager,
  merchantIds: readonly string[],
): Promise<Map<string, string>> {
  const decided = new Map<string, string>();
  for (const [merchantId, { lastDecidedAt }] of await peekCreditLines(manager, merchantIds))
    if (lastDecidedAt !== null) decided.set(merchantId, lastDecidedAt);
  return decided;
}

/** The business time of the newest decision about a merchant, read without a lock (a hint; re-checked under the lock). */
export async function lastDecidedAtOf(manager: EntityManager, merchantId: string): Promise<string | null> {
  return (await lastDecidedAtOfMany(manager, [merchantId])).get(merchantId) ?? null;
}

/** Writes the line after a decision (insert or replace); call with the merchant locked. */
export async function saveCreditLine(
  manager: EntityManager,
  line: CreditLineState,
  lastDecidedAt: string,
): Promise<void> {
  await saveCreditLines(manager, [{ line, lastDecidedAt }]);
}

/** Records a decision that left the line as it was: only its business time moves. */
export async function touchCreditLine(
  manager: EntityManager,
  merchantId: string,
  lastDecidedAt: string,
): Promise<void> {
  await touchCreditLines(manager, [{ merchantId, lastDecidedAt }]);
}

/** Rows per statement of a bulk write: 21 parameters a line, well under Postgres's 65,535. */
const LINES_PER_STATEMENT = 1_000;

/** Writes the lines after their decisions (insert or replace), several per statement; call with the merchants locked. */
export async function saveCreditLines(
  manager: EntityManager,
  lines: ReadonlyArray<{ readonly line: CreditLineState; readonly lastDecidedAt: string }>,
): Promise<void> {
  const columns = CREDIT_LINE_COLUMNS.split(',').map((column) => column.trim());
  const updates = columns
    .filter((column) => column !== 'merchant_id')
    .map((column) => `${column} = EXCLUDED.${column}`);
  for (let start = 0; start < lines.length; start += LINES_PER_STATEMENT) {
    const chunk = lines.slice(start, start + LINES_PER_STATEMENT);
    const parameters: unknown[] = [];
    const tuples = chunk.map(({ line, lastDecidedAt }) => {
      assertCreditLineState(line); // just before writing
      const offset = parameters.length;
      parameters.push(...lineParameters(line, lastDecidedAt));
      const placeholders = columns.map((column, index) =>
        column === 'reasons' ? `$${offset + index + 1}::jsonb` : `$${offset + index + 1}`,
      );
      return `(${placeholders.join(', ')})`;
    });
    await manager.query(
      `INSERT INTO credit_lines (${columns.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (merchant_id) DO UPDATE SET ${updates.join(', ')},
         version = credit_lines.version + 1, updated_at = now()`,
      parameters,
    );
  }
}

/**
 * Records decisions that left their lines as they were: only the business time moves, and the
 * write count (a sweep that read the line before such a decision must see that it was written).
 */
export async function touchCreditLines(
  manager: EntityManager,
  touches: ReadonlyArray<{ readonly merchantId: string; readonly lastDecidedAt: string }>,
): Promise<void> {
  if (touches.length === 0) return;
  await manager.query(
    `UPDATE credit_lines SET last_decided_at = greatest(last_decided_at, touched.at),
       version = credit_lines.version + 1, updated_at = now()
     FROM unnest($1::text[], $2::timestamptz[]) AS touched(merchant_id, at)
     WHERE credit_lines.merchant_id = touched.merchant_id`,
    [touches.map((touch) => touch.merchantId), touches.map((touch) => touch.lastDecidedAt)],
  );
}
