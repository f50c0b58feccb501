import type { EntityManager } from 'typeorm';
import { collectHoldback } from '../holdback';
import { LendingPolicy } from '../lending-policy';
import { Loan } from '../loan';
import { Refusal } from '../refusal';
import { SettlementIdReused } from './adapter-refusals';
import { businessInstant } from './business-instant';
import { lendingIds } from './deterministic-uuid';
import { lockLendingLine, lockLendingLines } from './lending-line';
import { sameLoan } from './loan-equality';
import { lockOpenLoansOf } from './loan-store';
import { assertInTransaction } from './transaction';
import { writeLendingChanges } from './write-loan-outcomes';

export interface SettlementInput {
  readonly merchantId: string;
  readonly orderId: string;
  /** One holdback per settlementId, forever. */
  readonly settlementId: string;
  readonly settledAmountMinor: bigint;
  readonly currency: string;
  /** Business time of the settlement (the event's time): when the holdback is collected. */
  readonly settledAt: string;
}

/** A `settlement_holdbacks` row: the settlement, once, with what was withheld from it. */
export interface HoldbackRecord {
  readonly settlementId: string;
  readonly merchantId: string;
  readonly orderId: string;
  readonly currency: string;
  readonly settledAmountMinor: bigint;
  /** What the settlement system withholds: Σ of the holdback's repayment.collected amounts; 0 when nothing was due. */
  readonly holdbackMinor: bigint;
  /** What the merchant owed on its active loans (interest brought up to date) before the holdback. */
  readonly totalDueMinor: bigint;
  readonly collectedAt: string;
}

export type HoldbackResult =
  /** The settlement was considered (its row written, even when nothing was withheld). */
  | { readonly kind: 'collected'; readonly holdback: HoldbackRecord; readonly loans: readonly Loan[] }
  /** This settlement was considered before, the same: no second effect. */
  | { readonly kind: 'already-collected'; readonly holdback: HoldbackRecord }
  /** Nothing was written; a Kafka consumer dead-letters the settlement. */
  | {
      readonly kind: 'refused';
      readonly refusal: SettlementIdReused | Refusal<'CURRENCY_MISMATCH'>;
    };

/**
 * `order.settled`: withholds the policy's share of the settlement, capped at what the merchant
 * owes, and pays its active loans oldest due first, interest before principal (collectHoldback),
 * inside the caller's transaction: the merchant's line and open loans locked (line first), one
 * `settlement_holdbacks` row per settlementId forever (written even when nothing is due, so a
 * settlement is considered once whatever the inbox has forgotten), one `repayments` row, one
 * REPAYMENT_HOLDBACK entry and one `repayment.collected` per loan paid (`loan.repaid` when it
 * is paid off), and the principal repaid back on the line.
 */
export async function collectSettlementHoldback(
  manager: EntityManager,
  input: SettlementInput,
  policy: LendingPolicy,
): Promise<HoldbackResult> {
  assertInTransaction(manager, 'collectSettlementHoldback');
  const collectedAt = businessInstant('settledAt', input.settledAt);
  if (input.settledAmountMinor < 0n)
    throw new RangeError(
      `settlement ${input.settlementId} has a negative amount ${input.settledAmountMinor}`,
    );
  await lockLendingLine(manager, input.merchantId);
  const existing = await findHoldback(manager, input.settlementId);
  if (existing !== null) {
    const same =
      existing.merchantId === input.merchantId &&
      existing.orderId === input.orderId &&
      existing.currency === input.currency &&
      existing.settledAmountMinor === input.settledAmountMinor;
    if (same) return { kind: 'already-collected', holdback: existing };
    return {
      kind: 'refused',
      refusal: {
        code: 'SETTLEMENT_ID_REUSED',
        message: `settlement ${input.settlementId} was already held back for merchant ${existing.merchantId}, order ${existing.orderId}, ${existing.settledAmountMinor} minor ${existing.currency}; one holdback per settlementId`,
      },
    };
  }
  const loans = await lockOpenLoansOf(manager, input.merchantId);
  const collected = collectHoldback(
    loans,
    {
      merchantId: input.merchantId,
      settlementId: input.settlementId,
      settledAmountMinor: input.settledAmountMinor,
      currency: input.currency,
      collectedAt,
      repaymentIdFor: (loanId) => lendingIds.holdbackRepayment(input.settlementId, loanId),
    },
    policy,
  );
  if (!collected.ok) return { kind: 'refused', refusal: collected.error };
  const holdback: HoldbackRecord = {
    settlementId: input.settlementId,
    merchantId: input.merchantId,
    orderId: input.orderId,
    currency: input.currency,
    settledAmountMinor: input.settledAmountMinor,
    holdbackMinor: collected.value.holdbackMinor,
    totalDueMinor: collected.value.totalDueMinor,
    collectedAt,
  };
  // Before the repayments: they reference the settlement's row.
  await insertHoldback(manager, holdback);
  const before = new Map(loans.map((loan) => [loan.loanId, loan]));
  await writeLendingChanges(manager, {
    occurredAt: collectedAt,
    created: [],
    updated: collected.value.loans.filter((loan) => !sameLoan(loan, before.get(loan.loanId)!)),
    journal: collected.value.journal,
    events: collected.value.events,
    lineChanges: collected.value.lineChanges,
  });
  return { kind: 'collected', holdback, loans: collected.value.loans };
}

interface HoldbackRow {
  readonly settlement_id: string;
  readonly merchant_id: string;
  readonly order_id: string;
  readonly currency: string;
  readonly settled_amount_minor: string;
  readonly holdback_minor: string;
  readonly total_due_minor: string;
  readonly collected_at: Date;
}

/** The holdback taken from a settlement, or null when the settlement was never considered. */
export async function findHoldback(
  manager: EntityManager,
  settlementId: string,
): Promise<HoldbackRecord | null> {
  const rows: HoldbackRow[] = await manager.query(
    `SELECT settlement_id, merchant_id, order_id, currency, settled_amount_minor, holdback_minor,
            total_due_minor, collected_at
       FROM settlement_holdbacks WHERE settlement_id = $1`,
    [settlementId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    settlementId: row.settlement_id,
    merchantId: row.merchant_id,
    orderId: row.order_id,
    currency: row.currency,
    settledAmountMinor: BigInt(row.settled_amount_minor),
    holdbackMinor: BigInt(row.holdback_minor),
    totalDueMinor: BigInt(row.total_due_minor),
    collectedAt: businessInstant('settlement_holdbacks.collected_at', row.collected_at),
  };
}

async function insertHoldback(manager: EntityManager, holdback: HoldbackRecord): Promise<void> {
  await manager.query(
    `INSERT INTO settlement_holdbacks (settlement_id, merchant_id, order_id, currency, settled_amount_minor,
                                       holdback_minor, total_due_minor, collected_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      holdback.settlementId,
      holdback.merchantId,
      holdback.orderId,
      holdback.currency,
      holdback.settledAmountMinor.toString(),
      holdback.holdbackMinor.toString(),
      holdback.totalDueMinor.toString(),
      holdback.collectedAt,
    ],
  );
}

/**
 * The common case in bulk: settlements of merchants with no active loan, for which a holdback
 * takes nothing. Inside the caller's transaction: the merchants' lines are locked (so no loan
 * of theirs becomes active meanwhile: a disbursement settles under the same row lock), the ones
 * with an active loan are left out, and each remaining settlement gets its row (nothing
 * withheld, nothing due) in one statement. Returns the settlementIds recorded; a settlement
 * already recorded is not (the caller takes those, and the merchants left out, one by one
 * through collectSettlementHoldback, which knows a re-publish from a reused settlementId).
 * The same outcome, row for row, as collectSettlementHoldback on a merchant with nothing due,
 * at a fixed number of statements for a whole batch of the platform's settlements.
 */
export async function recordSettlementsWithNothingDue(
  manager: EntityManager,
  inputs: readonly SettlementInput[],
): Promise<Set<string>> {
  assertInTransaction(manager, 'recordSettlementsWithNothingDue');
  if (inputs.length === 0) return new Set();
  const merchants = [...new Set(inputs.map((input) => input.merchantId))];
  await lockLendingLines(manager, merchants);
  const withActiveLoans = new Set(
    (
      (await manager.query(
        `SELECT DISTINCT merchant_id FROM loans WHERE status = 'ACTIVE' AND merchant_id = ANY ($1::text[])`,
        [merchants],
      )) as Array<{ merchant_id: string }>
    ).map((row) => row.merchant_id),
  );
  const nothingDue = inputs.filter((input) => !withActiveLoans.has(input.merchantId));
  if (nothingDue.length === 0) return new Set();
  for (const input of nothingDue) {
    if (input.settledAmountMinor < 0n)
      throw new RangeError(
        `settlement ${input.settlementId} has a negative amount ${input.settledAmountMinor}`,
      );
  }
  const rows: Array<{ settlement_id: string }> = await manager.query(
    `INSERT INTO settlement_holdbacks (settlement_id, merchant_id, order_id, currency, settled_amount_minor,
                                      holdback_minor, total_due_minor, collected_at)
     SELECT settlement_id, merchant_id, order_id, currency, settled, 0, 0, collected_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[])
            AS settlement(settlement_id, merchant_id, order_id, currency, settled, collected_at)
     ON CONFLICT (settlement_id) DO NOTHING
     RETURNING settlement_id`,
    [
      nothingDue.map((input) => input.settlementId),
      nothingDue.map((input) => input.merchantId),
      nothingDue.map((input) => input.orderId),
      nothingDue.map((input) => input.currency),
      nothingDue.map((input) => input.settledAmountMinor.toString()),
      nothingDue.map((input) => businessInstant('settledAt', input.settledAt)),
    ],
  );
  return new Set(rows.map((row) => row.settlement_id));
}
