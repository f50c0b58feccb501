import type { JournalEntryDraft } from '@lendstream/ledger';
import { postJournalEntries } from '@lendstream/ledger';
import { enqueueOutbox } from '@lendstream/messaging';
import type { EntityManager } from 'typeorm';
import { LineChange } from '../credit-line-view';
import { LendingEvent } from '../lending-events';
import { Loan } from '../loan';
import { LoanOutcome } from '../loan-outcome';
import { lendingCloudEvent } from './lending-cloud-events';
import { applyLineChanges, MerchantLineChange } from './lending-line';
import { insertLoans, NewLoan, updateLoans } from './loan-store';

/**
 * Everything one lending transaction changes: loans (new and moved), the journal entries they
 * post, the events they emit and how their lines move. Written together, inside the caller's
 * transaction, so that a loan never changes without its journal, its line and its event, and
 * no event leaves without the change it reports (transactional outbox).
 */
export interface LendingChanges {
  /** Business time of the change: the events' `time`, and the repayments' collection time. */
  readonly occurredAt: string;
  /** Loans a drawdown made (inserted). */
  readonly created: readonly NewLoan[];
  /** Existing loans in their new state (updated; the caller holds their locks). */
  readonly updated: readonly Loan[];
  readonly journal: readonly JournalEntryDraft[];
  readonly events: readonly LendingEvent[];
  /** Deltas per loan's line; every one must belong to a loan of this write. */
  readonly lineChanges: readonly LineChange[];
}

/** What one write did, for logs and reports. */
export interface LendingWriteReport {
  readonly entriesPosted: number;
  readonly entriesAlreadyPosted: number;
  readonly events: number;
}

/**
 * Writes a set of changes in the caller's transaction, in this order: the lines (by merchant,
 * locked first if the caller has not), the loans, the repayments (one row per
 * `repayment.collected`), the journal entries (posted once per idempotency key: a retried
 * transaction posts nothing twice) and the events in the outbox, last, so that outbox order per
 * merchant follows the line lock, which is commit order.
 */
export async function writeLendingChanges(
  manager: EntityManager,
  changes: LendingChanges,
): Promise<LendingWriteReport> {
  const loans = [...changes.created.map((record) => record.loan), ...changes.updated];
  await applyLineChanges(manager, merchantLineChanges(loans, changes.lineChanges));
  await insertLoans(manager, changes.created);
  await updateLoans(manager, changes.updated);
  await insertRepayments(manager, changes.events, changes.occurredAt);
  const posted = await postJournalEntries(manager, changes.journal);
  await enqueueOutbox(
    manager,
    changes.events.map((event) => lendingCloudEvent(event, changes.occurredAt)),
  );
  return {
    entriesPosted: posted.filter((outcome) => outcome.status === 'POSTED').length,
    entriesAlreadyPosted: posted.filter((outcome) => outcome.status === 'ALREADY_POSTED').length,
    events: changes.events.length,
  };
}

/**
 * The outcomes of transitions of existing loans (and, in `created`, the drawdowns among them),
 * written as one set of changes at one business time.
 */
export function writeLoanOutcomes(
  manager: EntityManager,
  outcomes: readonly LoanOutcome[],
  occurredAt: string,
  created: ReadonlyMap<string, Omit<NewLoan, 'loan'>> = new Map(),
): Promise<LendingWriteReport> {
  return writeLendingChanges(manager, {
    occurredAt,
    created: outcomes
      .filter((outcome) => created.has(outcome.loan.loanId))
      .map((outcome) => ({ ...created.get(outcome.loan.loanId)!, loan: outcome.loan })),
    updated: outcomes.filter((outcome) => !created.has(outcome.loan.loanId)).map((outcome) => outcome.loan),
    journal: outcomes.flatMap((outcome) => outcome.journal),
    events: outcomes.flatMap((outcome) => outcome.events),
    lineChanges: outcomes.map((outcome) => outcome.lineChange),
  });
}

/** Line changes added up per merchant: a loan's line is its merchant's row (see lending-line.ts). */
export function merchantLineChanges(
  loans: readonly Loan[],
  changes: readonly LineChange[],
): MerchantLineChange[] {
  const merchantOfLine = new Map<string, string>();
  for (const loan of loans) {
    const known = merchantOfLine.get(loan.creditLineId);
    if (known !== undefined && known !== loan.merchantId)
      throw new RangeError(`credit line ${loan.creditLineId} belongs to ${known} and ${loan.merchantId}`);
    merchantOfLine.set(loan.creditLineId, loan.merchantId);
  }
  const byMerchant = new Map<string, { reservedDeltaMinor: bigint; outstandingDeltaMinor: bigint }>();
  for (const change of changes) {
    const merchantId = merchantOfLine.get(change.creditLineId);
    if (merchantId === undefined)
      throw new RangeError(`a change of line ${change.creditLineId}, which no loan of this write is on`);
    const sum = byMerchant.get(merchantId) ?? { reservedDeltaMinor: 0n, outstandingDeltaMinor: 0n };
    byMerchant.set(merchantId, {
      reservedDeltaMinor: sum.reservedDeltaMinor + change.reservedDeltaMinor,
      outstandingDeltaMinor: sum.outstandingDeltaMinor + change.outstandingDeltaMinor,
    });
  }
  return [...byMerchant].map(([merchantId, deltas]) => ({ merchantId, ...deltas }));
}

/**
 * One `repayments` row per `repayment.collected` event: the row is the event's record (its
 * repayment_id is the event's repaymentId). A holdback's rows reference its settlement row,
 * which the holdback writes first.
 */
async function insertRepayments(
  manager: EntityManager,
  events: readonly LendingEvent[],
  collectedAt: string,
): Promise<void> {
  const repayments = events.flatMap((event) => (event.type === 'repayment.collected' ? [event.data] : []));
  if (repayments.length === 0) return;
  await manager.query(
    `INSERT INTO repayments (repayment_id, loan_id, merchant_id, source, settlement_id, amount_minor,
                             principal_minor, interest_minor, currency, collected_at)
     SELECT repayment_id, loan_id, merchant_id, source, settlement_id, amount_minor, principal_minor,
            interest_minor, currency, $10::timestamptz
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                   $8::bigint[], $9::text[])
            AS repayment (repayment_id, loan_id, merchant_id, source, settlement_id, amount_minor,
                          principal_minor, interest_minor, currency)`,
    [
      repayments.map((repayment) => repayment.repaymentId),
      repayments.map((repayment) => repayment.loanId),
      repayments.map((repayment) => repayment.merchantId),
      repayments.map((repayment) => repayment.source),
      repayments.map((repayment) => repayment.settlementId ?? null),
      repayments.map((repayment) => repayment.amountMinor.toString()),
      repayments.map((repayment) => repayment.principalMinor.toString()),
      repayments.map((repayment) => repayment.interestMinor.toString()),
      repayments.map((repayment) => repayment.currency),
      collectedAt,
    ],
  );
}
