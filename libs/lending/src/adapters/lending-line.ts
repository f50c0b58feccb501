import type { EntityManager } from 'typeorm';
import {
  applyLineChange,
  availableMinorOf,
  CreditLineStatus,
  CreditLineView,
  LineChange,
  LinePosition,
} from '../credit-line-view';

/**
 * The credit line as lending sees it: the underwriter owns the `credit_lines` row (migration
 * 1795880965852-CreditLines); lending reads it to lend against it and moves only its
 * reserved_minor and outstanding_minor, recomputing available_minor with the same rule as
 * the underwriter (availableMinorOf: an ACTIVE line offers max(0, limit − outstanding −
 * reserved), any other nothing).
 *
 * The row is per merchant: a line closed and granted again gets a new credit_line_id in the
 * same row and keeps the merchant's loans. So lending finds and moves a loan's line by the
 * loan's merchant, not by the credit_line_id the loan was drawn on.
 *
 * Locking: lending takes the row lock only (FOR UPDATE), and first, before the merchant's
 * loans. The underwriter takes an advisory lock per merchant and then the same row lock; a
 * transaction that holds one row lock and waits for nothing else cannot close a cycle with it.
 */
export interface LendingLine {
  readonly merchantId: string;
  readonly view: CreditLineView;
  readonly position: LinePosition;
}

interface LineRow {
  readonly merchant_id: string;
  readonly credit_line_id: string;
  readonly currency: string;
  readonly status: CreditLineStatus;
  readonly limit_minor: string;
  readonly available_minor: string;
  readonly outstanding_minor: string;
  readonly reserved_minor: string;
  readonly daily_rate_bps: number;
}

const LINE_COLUMNS = `merchant_id, credit_line_id, currency, status, limit_minor, available_minor,
  outstanding_minor, reserved_minor, daily_rate_bps`;

const minorOf = (column: string, value: string): bigint => {
  if (!/^-?\d{1,19}$/.test(value))
    throw new RangeError(`credit_lines.${column} is not a whole number: ${value}`);
  return BigInt(value);
};

function lineOf(row: LineRow): LendingLine {
  const position: LinePosition = {
    creditLineId: row.credit_line_id,
    status: row.status,
    limitMinor: minorOf('limit_minor', row.limit_minor),
    reservedMinor: minorOf('reserved_minor', row.reserved_minor),
    outstandingMinor: minorOf('outstanding_minor', row.outstanding_minor),
  };
  return {
    merchantId: row.merchant_id,
    position,
    view: {
      creditLineId: row.credit_line_id,
      merchantId: row.merchant_id,
      status: row.status,
      currency: row.currency,
      limitMinor: position.limitMinor,
      // Recomputed from the amounts rather than trusted: what lending lends against is what
      // its own book says is free. `ledger verify` reports a row whose column disagrees.
      availableMinor: availableMinorOf(position),
      dailyRateBps: row.daily_rate_bps,
    },
  };
}

export interface LockLinesOptions {
  /** Skip lines another transaction holds instead of waiting (the review job: it never waits). */
  readonly skipLocked?: boolean;
}

/**
 * The merchants' lines, locked FOR UPDATE until the transaction ends, in merchant-id order
 * (code-unit order, the same as the underwriter's), keyed by merchant. A merchant with no line
 * is absent, and so is one whose line another transaction holds when `skipLocked` is set.
 */
export async function lockLendingLines(
  manager: EntityManager,
  merchantIds: readonly string[],
  options: LockLinesOptions = {},
): Promise<Map<string, LendingLine>> {
  const wanted = [...new Set(merchantIds)];
  if (wanted.length === 0) return new Map();
  const rows: LineRow[] = await manager.query(
    `SELECT ${LINE_COLUMNS} FROM credit_lines WHERE merchant_id = ANY ($1::text[])
     ORDER BY merchant_id COLLATE "C" FOR UPDATE${options.skipLocked === true ? ' SKIP LOCKED' : ''}`,
    [wanted],
  );
  return new Map(rows.map((row) => [row.merchant_id, lineOf(row)]));
}

/** One merchant's line, locked FOR UPDATE; null when the merchant has none. */
export async function lockLendingLine(
  manager: EntityManager,
  merchantId: string,
): Promise<LendingLine | null> {
  return (await lockLendingLines(manager, [merchantId])).get(merchantId) ?? null;
}

/** A change of one merchant's line: the deltas of its loans' LineChanges, added up. */
export interface MerchantLineChange {
  readonly merchantId: string;
  readonly reservedDeltaMinor: bigint;
  readonly outstandingDeltaMinor: bigint;
}

/**
 * Adds each change to its merchant's line (locked FOR UPDATE here if the caller has not
 * already) with the pure core's arithmetic (applyLineChange: it throws rather than let
 * reserved or outstanding go negative, which would mean the line and its loans disagree),
 * and writes reserved, outstanding and the recomputed available. A merchant with no line row
 * has loans that no line holds: a broken invariant, thrown.
 */
export async function applyLineChanges(
  manager: EntityManager,
  changes: readonly MerchantLineChange[],
): Promise<void> {
  const moving = changes.filter(
    (change) => change.reservedDeltaMinor !== 0n || change.outstandingDeltaMinor !== 0n,
  );
  if (moving.length === 0) return;
  const lines = await lockLendingLines(
    manager,
    moving.map((change) => change.merchantId),
  );
  const next = moving.map((change) => {
    const line = lines.get(change.merchantId);
    if (line === undefined)
      throw new Error(`merchant ${change.merchantId} has loans but no credit line row to move`);
    const lineChange: LineChange = {
      creditLineId: line.position.creditLineId,
      reservedDeltaMinor: change.reservedDeltaMinor,
      outstandingDeltaMinor: change.outstandingDeltaMinor,
    };
    return { merchantId: change.merchantId, ...applyLineChange(line.position, lineChange) };
  });
  const [{ updated }]: Array<{ updated: number }> = await manager.query(
    `WITH updated AS (
       UPDATE credit_lines
          SET reserved_minor = next.reserved_minor, outstanding_minor = next.outstanding_minor,
              available_minor = next.available_minor, version = credit_lines.version + 1, updated_at = now()
         FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[])
              AS next (merchant_id, reserved_minor, outstanding_minor, available_minor)
        WHERE credit_lines.merchant_id = next.merchant_id
       RETURNING 1)
     SELECT count(*)::int AS updated FROM updated`,
    [
      next.map((line) => line.merchantId),
      next.map((line) => line.reservedMinor.toString()),
      next.map((line) => line.outstandingMinor.toString()),
      next.map((line) => line.availableMinor.toString()),
    ],
  );
  if (updated !== next.length)
    throw new Error(`applyLineChanges: wrote ${updated} of ${next.length} credit lines`);
}
