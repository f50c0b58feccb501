import type { EntityManager } from 'typeorm';

/** The credit lines of one currency and status, added up. */
export interface CreditLineTotals {
  readonly currency: string;
  readonly status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  readonly lines: number;
  readonly limitMinor: bigint;
  readonly availableMinor: bigint;
  readonly reservedMinor: bigint;
  readonly outstandingMinor: bigint;
  /** Σ of each line's exposure as the portfolio budget counts it (exposureOf in libs/credit). */
  readonly exposureMinor: bigint;
}

interface TotalsRow {
  readonly currency: string;
  readonly status: CreditLineTotals['status'];
  readonly lines: number;
  readonly limit_minor: string;
  readonly available_minor: string;
  readonly reserved_minor: string;
  readonly outstanding_minor: string;
  readonly exposure_minor: string;
}

/**
 * Every credit line, added up per (currency, status), in one aggregate (sums of bigint as
 * numeric text, never floats). A line's exposure is what the underwriter's budget counts
 * (`exposureOf`, and the same SQL as `loadPortfolios`): its limit or what is lent on it,
 * whichever is more; for a closed line only what is lent. Read only, no locks.
 */
export async function creditLineTotals(manager: EntityManager): Promise<CreditLineTotals[]> {
  const rows: TotalsRow[] = await manager.query(
    `SELECT currency, status, count(*)::int AS lines,
            sum(limit_minor)::text AS limit_minor,
            sum(available_minor)::text AS available_minor,
            sum(reserved_minor)::text AS reserved_minor,
            sum(outstanding_minor)::text AS outstanding_minor,
            sum(CASE WHEN status = 'CLOSED' THEN outstanding_minor + reserved_minor
                     ELSE greatest(limit_minor, outstanding_minor + reserved_minor) END)::text AS exposure_minor
       FROM credit_lines
      GROUP BY currency, status
      ORDER BY currency, status`,
  );
  return rows.map((row) => ({
    currency: row.currency,
    status: row.status,
    lines: row.lines,
    limitMinor: BigInt(row.limit_minor),
    availableMinor: BigInt(row.available_minor),
    reservedMinor: BigInt(row.reserved_minor),
    outstandingMinor: BigInt(row.outstanding_minor),
    exposureMinor: BigInt(row.exposure_minor),
  }));
}
