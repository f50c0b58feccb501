import type { EntityManager } from 'typeorm';
import { LendingPosition, NO_LENDING } from '../freeze-triggers';

interface PositionRow {
  readonly merchant_id: string;
  readonly outstanding: string;
  readonly reserved: string;
  readonly has_overdue: boolean;
}

/**
 * What lending holds of each merchant as of its decision's business time, read from the
 * `loans` table (lending's state) inside the underwriter's transaction, after the merchants'
 * lines are locked: lending moves a loan and its line under that same row lock, so the loans
 * read here agree with the line's reserved and outstanding amounts.
 *
 * The same rule as lending's lendingPositionOf: outstanding principal of active loans;
 * principal of loans awaiting disbursement; overdue when an active loan's due instant has
 * passed (daysPastDue > 0: `due_at` is the last millisecond of the due day) or a loan was
 * written off (a merchant that defaulted gets no new money automatically). Merchants without
 * loans are not in the map: NO_LENDING.
 */
export async function loadLendingPositions(
  manager: EntityManager,
  merchants: ReadonlyArray<{ readonly merchantId: string; readonly now: string }>,
): Promise<Map<string, LendingPosition>> {
  if (merchants.length === 0) return new Map();
  const rows: PositionRow[] = await manager.query(
    `SELECT wanted.merchant_id,
            coalesce(sum(loans.principal_outstanding_minor) FILTER (WHERE loans.status = 'ACTIVE'), 0)::text AS outstanding,
            coalesce(sum(loans.principal_minor) FILTER (WHERE loans.status = 'PENDING_DISBURSEMENT'), 0)::text AS reserved,
            coalesce(bool_or(loans.status = 'WRITTEN_OFF'
                             OR (loans.status = 'ACTIVE' AND loans.due_at < wanted.now)), false) AS has_overdue
     FROM unnest($1::text[], $2::timestamptz[]) AS wanted(merchant_id, now)
     JOIN loans ON loans.merchant_id = wanted.merchant_id
                AND loans.status IN ('PENDING_DISBURSEMENT', 'ACTIVE', 'WRITTEN_OFF')
     GROUP BY wanted.merchant_id`,
    [merchants.map((merchant) => merchant.merchantId), merchants.map((merchant) => merchant.now)],
  );
  return new Map(
    rows.map((row) => [
      row.merchant_id,
      {
        outstandingMinor: BigInt(row.outstanding),
        reservedMinor: BigInt(row.reserved),
        hasOverdueLoan: row.has_overdue,
      },
    ]),
  );
}

export const positionOrNone = (positions: ReadonlyMap<string, LendingPosition>, merchantId: string) =>
  positions.get(merchantId) ?? NO_LENDING;
