/**
 * What lending tests set up and look at, in SQL: a credit line as the underwriter would have
 * granted it, and the outbox, journal and line as lending left them.
 */
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@lendstream/contracts';
import { LedgerCheck, ledgerIntegrityChecks, verifyLedgerInSnapshot } from '@lendstream/ledger';
import {
  findLoan,
  LENDING_POLICY_V1,
  LendingPolicy,
  lendingLedgerChecks,
  Loan,
  parseLendingPolicy,
  requestDrawdown,
  settleDisbursementById,
} from '@lendstream/lending';
import type { DataSource, EntityManager } from 'typeorm';

export interface LineFixture {
  readonly merchantId: string;
  readonly limitMinor?: bigint;
  readonly status?: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  readonly currency?: string;
  readonly dailyRateBps?: number;
}

/** Inserts a credit line as the underwriter grants one (nothing lent yet); returns its id. */
export async function grantLine(db: DataSource | EntityManager, fixture: LineFixture): Promise<string> {
  const creditLineId = randomUUID();
  const limit = fixture.limitMinor ?? 10_000_000n;
  const status = fixture.status ?? 'ACTIVE';
  await db.query(
    `INSERT INTO credit_lines (merchant_id, credit_line_id, currency, status, limit_minor, available_minor,
       outstanding_minor, reserved_minor, requested_limit_minor, daily_rate_bps, grade, score, reasons,
       manual_freeze, automatic_freeze_since, soft_decline_since, policy_version, last_decision_id,
       profile_as_of, decided_at, last_decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $5, $7, 'A', 800, '[]'::jsonb, false, NULL, NULL, 'v1', $8,
             '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
    [
      fixture.merchantId,
      creditLineId,
      fixture.currency ?? 'CNY',
      status,
      limit.toString(),
      status === 'ACTIVE' ? limit.toString() : '0',
      fixture.dailyRateBps ?? 2,
      randomUUID(),
    ],
  );
  return creditLineId;
}

export interface LineAmounts {
  readonly status: string;
  readonly limitMinor: bigint;
  readonly availableMinor: bigint;
  readonly reservedMinor: bigint;
  readonly outstandingMinor: bigint;
}

export async function lineOf(db: DataSource | EntityManager, merchantId: string): Promise<LineAmounts> {
  const [row]: Array<Record<string, string>> = await db.query(
    `SELECT status, limit_minor, available_minor, reserved_minor, outstanding_minor
       FROM credit_lines WHERE merchant_id = $1`,
    [merchantId],
  );
  if (row === undefined) throw new Error(`no line for ${merchantId}`);
  return {
    status: row.status!,
    limitMinor: BigInt(row.limit_minor!),
    availableMinor: BigInt(row.available_minor!),
    reservedMinor: BigInt(row.reserved_minor!),
    outstandingMinor: BigInt(row.outstanding_minor!),
  };
}

/** The outbox's events (optionally of one merchant), oldest first, as stored (amounts as digit strings). */
export async function outboxEvents(db: DataSource, merchantId?: string): Promise<CloudEvent[]> {
  const rows: Array<{ payload: CloudEvent }> = await db.query(
    `SELECT payload FROM outbox WHERE $1::text IS NULL OR message_key = $1 ORDER BY id`,
    [merchantId ?? null],
  );
  return rows.map((row) => row.payload);
}

/** The journal entries of a loan: their idempotency keys, in business-time order. */
export async function journalKeysOf(db: DataSource, loanId: string): Promise<string[]> {
  const rows: Array<{ idempotency_key: string }> = await db.query(
    `SELECT idempotency_key FROM journal_entries WHERE loan_id = $1 ORDER BY effective_at, idempotency_key`,
    [loanId],
  );
  return rows.map((row) => row.idempotency_key);
}

/** Counts of the tables a duplicate must not grow (and a refusal grows by its inbox row and its refusal only). */
export async function tableCounts(db: DataSource): Promise<Record<string, number>> {
  const [row]: Array<Record<string, number>> = await db.query(
    `SELECT (SELECT count(*)::int FROM loans) AS loans,
            (SELECT count(*)::int FROM journal_entries) AS entries,
            (SELECT count(*)::int FROM outbox) AS outbox,
            (SELECT count(*)::int FROM repayments) AS repayments,
            (SELECT count(*)::int FROM settlement_holdbacks) AS holdbacks,
            (SELECT count(*)::int FROM inbox) AS inbox,
            (SELECT count(*)::int FROM lending_refusals) AS refusals`,
  );
  return row!;
}

/** Every check `npm run ledger -- verify` runs, in one snapshot; throws with the breaches when any fails. */
export async function expectBooksVerify(dataSource: DataSource): Promise<void> {
  const checks: LedgerCheck[] = [...ledgerIntegrityChecks(), ...lendingLedgerChecks()];
  const verification = await verifyLedgerInSnapshot(dataSource, checks);
  const failed = verification.outcomes.filter(
    (outcome) => outcome.error !== null || outcome.breaches.length > 0,
  );
  if (failed.length > 0) throw new Error(`ledger verify failed:\n${JSON.stringify(failed, null, 2)}`);
}

/** Policy v1 with a few numbers changed for a test (still validated by parseLendingPolicy). */
export const testPolicy = (changes: Partial<LendingPolicy> = {}): LendingPolicy =>
  parseLendingPolicy({ ...LENDING_POLICY_V1, ...changes });

export interface LoanFixture {
  readonly merchantId: string;
  readonly requestId: string;
  readonly amountMinor: bigint;
  readonly termDays?: number;
  readonly requestedAt: string;
  /** When treasury paid; omitted: the loan stays awaiting disbursement. */
  readonly settledAt?: string;
}

/** A loan made the way production makes it: requestDrawdown, then treasury's answer (settleDisbursementById). */
export async function makeLoan(
  dataSource: DataSource,
  fixture: LoanFixture,
  policy: LendingPolicy,
): Promise<Loan> {
  return dataSource.transaction(async (manager) => {
    const drawn = await requestDrawdown(
      manager,
      {
        merchantId: fixture.merchantId,
        requestId: fixture.requestId,
        request: { amountMinor: fixture.amountMinor, currency: 'CNY', termDays: fixture.termDays ?? 30 },
        requestedAt: fixture.requestedAt,
      },
      policy,
    );
    if (drawn.kind !== 'created') throw new Error(`fixture drawdown ${drawn.kind}: ${JSON.stringify(drawn)}`);
    if (fixture.settledAt === undefined) return drawn.loan;
    const settled = await settleDisbursementById(manager, {
      merchantId: fixture.merchantId,
      disbursementId: drawn.loan.disbursementId,
      treasuryRef: `tr-${fixture.requestId}`,
      settledAt: fixture.settledAt,
    });
    if (settled.kind !== 'applied') throw new Error(`fixture settlement ${settled.kind}`);
    return settled.loan;
  });
}

export async function loanNow(dataSource: DataSource, loanId: string): Promise<Loan> {
  const found = await findLoan(dataSource.manager, loanId);
  if (found === null) throw new Error(`no loan ${loanId}`);
  return found.loan;
}

/** The counts after `refused` more inputs were refused: each adds its inbox row and its refusal, nothing else. */
export const countsAfterRefusals = (
  before: Record<string, number>,
  refused: number,
): Record<string, number> => ({
  ...before,
  inbox: before.inbox! + refused,
  refusals: before.refusals! + refused,
});
