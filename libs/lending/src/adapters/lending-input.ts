import { AnyCloudEvent, CloudEvent, ContractViolation, DeadLetterReason } from '@lendstream/contracts';
import { recordInboxBatch } from '@lendstream/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { LendingPolicy } from '../lending-policy';
import { DrawdownRefusal, DrawdownRefusalCode } from '../refusal';
import { findRefusal, recordRefusal } from './lending-refusals';
import { failDisbursementById, settleDisbursementById, DisbursementResult } from './disbursement-outcomes';
import { requestDrawdown } from './request-drawdown';
import { collectSettlementHoldback, recordSettlementsWithNothingDue } from './settlement-holdback';

/** The inbox consumer name of lending: every input it applies is recorded under it. */
export const LENDING_CONSUMER = 'lending';

export type LendingInputOutcome =
  /** Not lending's business (order.placed, order.paid…): acknowledged, nothing written. */
  | { readonly kind: 'ignored' }
  /** Already applied under this (source, id): no second effect. */
  | { readonly kind: 'duplicate' }
  /** Applied (or recognised as the same business fact as one applied before), in one transaction with its inbox row. */
  | { readonly kind: 'applied'; readonly detail: string }
  /**
   * A business rule refused it (now, or when this (source, id) was first delivered): nothing
   * was written but its inbox row and its refusal (lending_refusals); dead-letter it.
   */
  | { readonly kind: 'rejected'; readonly violation: ContractViolation };

/**
 * Applies one input event exactly once: in one transaction, its inbox row (consumer `lending`,
 * the event's source and id) and its effect, so a redelivered or re-published event has no
 * second effect. A business-rule refusal is an outcome too, as durable as an effect: the
 * effect's writes are rolled back (to a savepoint), and the inbox row is committed with a
 * `lending_refusals` row holding the violation. A redelivery of that (source, id) is answered
 * from it, `rejected` with the same violation (dead-lettered again: at least once), and never
 * re-evaluated, even when the line would now lend what it refused. A new event (another id)
 * with the same request is a new request, evaluated afresh. The refusals and their
 * `dlq-reason`:
 *
 * | input | refusal | dlq-reason |
 * | --- | --- | --- |
 * | drawdown.requested | currency not the line's | CURRENCY_MISMATCH |
 * | drawdown.requested | any other drawdown refusal (code first in the message) | DRAWDOWN_REFUSED |
 * | drawdown.requested | requestId already used for another request | REQUEST_ID_REUSED |
 * | disbursement.* | no loan of this merchant has the disbursementId | UNKNOWN_DISBURSEMENT |
 * | disbursement.* | contradicts what treasury said before | DISBURSEMENT_OUTCOME_CONFLICT |
 * | order.settled | currency not the merchant's loans' | CURRENCY_MISMATCH |
 * | order.settled | settlementId already used for another settlement | SETTLEMENT_ID_REUSED |
 *
 * Anything else that fails (the database is down, a lock timed out) is thrown and records
 * nothing, not even the inbox row: the transport retries the batch and never dead-letters it.
 */
export async function handleLendingInput(
  dataSource: DataSource,
  event: AnyCloudEvent,
  policy: LendingPolicy,
): Promise<LendingInputOutcome> {
  switch (event.type) {
    case 'drawdown.requested':
      return applyOnce(dataSource, event, (manager) => drawdownRequested(manager, event, policy));
    case 'disbursement.settled':
      return applyOnce(dataSource, event, async (manager) =>
        disbursementAnswer(
          await settleDisbursementById(manager, {
            merchantId: event.data.merchantId,
            disbursementId: event.data.disbursementId,
            treasuryRef: event.data.treasuryRef,
            settledAt: event.time,
          }),
        ),
      );
    case 'disbursement.failed':
      return applyOnce(dataSource, event, async (manager) =>
        disbursementAnswer(
          await failDisbursementById(manager, {
            merchantId: event.data.merchantId,
            disbursementId: event.data.disbursementId,
            reason: event.data.reason,
            failedAt: event.time,
          }),
        ),
      );
    case 'order.settled':
      return applyOnce(dataSource, event, (manager) => orderSettled(manager, event, policy));
    default:
      return { kind: 'ignored' };
  }
}

/** What an effect answers: a line for the log, or the violation that refuses the input. */
type EffectAnswer = { readonly detail: string } | { readonly violation: ContractViolation };

/** Taken before an input's effect, rolled back to when the input is refused. */
const EFFECT_SAVEPOINT = 'lending_input_effect';

async function applyOnce(
  dataSource: DataSource,
  event: AnyCloudEvent,
  effect: (manager: EntityManager) => Promise<EffectAnswer>,
): Promise<LendingInputOutcome> {
  const input = { consumer: LENDING_CONSUMER, source: event.source, id: event.id, type: event.type };
  return dataSource.transaction(async (manager): Promise<LendingInputOutcome> => {
    const fresh = await recordInboxBatch(manager, LENDING_CONSUMER, [{ source: event.source, id: event.id }]);
    if (fresh.length === 0) {
      // Seen before: refused then means refused now, with the same violation (the transport
      // dead-letters it again; a crash between the refusal's commit and its dead letter is
      // covered too). Never re-evaluated: the line may lend today what it refused then.
      const refused = await findRefusal(manager, input);
      return refused === null ? { kind: 'duplicate' } : { kind: 'rejected', violation: refused };
    }
    // The effect runs after a savepoint: a refusal rolls back to it, undoing whatever the effect
    // wrote before it refused, and keeps the inbox row, to which the refusal is added, in the
    // same transaction (no window in which the input was refused but a redelivery would not
    // know it). Set by hand rather than by a nested manager.transaction: nothing to release on
    // the common path, and a failed rollback to it is thrown (the whole input retried), never
    // swallowed. Anything thrown by the effect rolls back the whole transaction, as before.
    await manager.query(`SAVEPOINT ${EFFECT_SAVEPOINT}`);
    const answer = await effect(manager);
    if (!('violation' in answer)) return { kind: 'applied', detail: answer.detail };
    await manager.query(`ROLLBACK TO SAVEPOINT ${EFFECT_SAVEPOINT}`);
    await recordRefusal(manager, input, answer.violation);
    return { kind: 'rejected', violation: answer.violation };
  });
}

async function drawdownRequested(
  manager: EntityManager,
  event: CloudEvent<'drawdown.requested'>,
  policy: LendingPolicy,
): Promise<EffectAnswer> {
  const { merchantId, requestId, amountMinor, currency, termDays } = event.data;
  const result = await requestDrawdown(
    manager,
    { merchantId, requestId, request: { amountMinor, currency, termDays }, requestedAt: event.time },
    policy,
  );
  switch (result.kind) {
    case 'created':
      return {
        detail: `loan ${result.loan.loanId} created, disbursement ${result.loan.disbursementId} requested`,
      };
    case 'replayed':
      return { detail: `requestId ${requestId} already made loan ${result.loan.loanId}` };
    case 'conflict':
      return {
        violation: {
          reason: DeadLetterReason.REQUEST_ID_REUSED,
          field: 'data.requestId',
          message: result.refusal.message,
        },
      };
    case 'refused':
      return { violation: drawdownViolation(result.refusal) };
  }
}

/** The field each drawdown refusal is about, for the dead letter's `dlq-error`. */
const DRAWDOWN_REFUSAL_FIELDS: Readonly<Record<DrawdownRefusalCode, string>> = {
  NO_CREDIT_LINE: 'data.merchantId',
  LINE_NOT_ACTIVE: 'data.merchantId',
  CURRENCY_MISMATCH: 'data.currency',
  CURRENCY_NOT_SUPPORTED: 'data.currency',
  TERM_OUT_OF_RANGE: 'data.termDays',
  AMOUNT_TOO_SMALL: 'data.amountMinor',
  TOO_MANY_OPEN_LOANS: 'data.merchantId',
  AMOUNT_EXCEEDS_AVAILABLE: 'data.amountMinor',
};

/** A refused drawdown as a dead letter: CURRENCY_MISMATCH keeps the contract's own code, the rest are DRAWDOWN_REFUSED with their code first. */
export function drawdownViolation(refusal: DrawdownRefusal): ContractViolation {
  const field = DRAWDOWN_REFUSAL_FIELDS[refusal.code];
  if (refusal.code === 'CURRENCY_MISMATCH')
    return { reason: DeadLetterReason.CURRENCY_MISMATCH, field, message: `${field}: ${refusal.message}` };
  return {
    reason: DeadLetterReason.DRAWDOWN_REFUSED,
    field,
    message: `${field}: ${refusal.code}: ${refusal.message}`,
  };
}

function disbursementAnswer(result: DisbursementResult): EffectAnswer {
  switch (result.kind) {
    case 'applied':
      return { detail: `loan ${result.loan.loanId} is ${result.loan.status}` };
    case 'already-applied':
      return { detail: `loan ${result.loan.loanId} was already ${result.loan.status}` };
    case 'refused':
      return {
        violation: {
          reason:
            result.refusal.code === 'UNKNOWN_DISBURSEMENT'
              ? DeadLetterReason.UNKNOWN_DISBURSEMENT
              : DeadLetterReason.DISBURSEMENT_OUTCOME_CONFLICT,
          field: 'data.disbursementId',
          message: `data.disbursementId: ${result.refusal.message}`,
        },
      };
  }
}

async function orderSettled(
  manager: EntityManager,
  event: CloudEvent<'order.settled'>,
  policy: LendingPolicy,
): Promise<EffectAnswer> {
  const { merchantId, orderId, settlementId, amountMinor, currency } = event.data;
  const result = await collectSettlementHoldback(
    manager,
    { merchantId, orderId, settlementId, settledAmountMinor: amountMinor, currency, settledAt: event.time },
    policy,
  );
  switch (result.kind) {
    case 'collected':
      return {
        detail: `settlement ${settlementId}: ${result.holdback.holdbackMinor} minor ${currency} held back`,
      };
    case 'already-collected':
      return { detail: `settlement ${settlementId} was already considered` };
    case 'refused':
      return {
        violation:
          result.refusal.code === 'CURRENCY_MISMATCH'
            ? {
                reason: DeadLetterReason.CURRENCY_MISMATCH,
                field: 'data.currency',
                message: `data.currency: ${result.refusal.message}`,
              }
            : {
                reason: DeadLetterReason.SETTLEMENT_ID_REUSED,
                field: 'data.settlementId',
                message: `data.settlementId: ${result.refusal.message}`,
              },
      };
  }
}

/**
 * The platform settles orders all day, and most merchants owe nothing: their settlements are
 * taken in bulk, one transaction for a whole batch (recordSettlementsWithNothingDue, with the
 * inbox rows of the settlements it recorded), instead of one transaction each. Returns the
 * events so applied; every other event of the batch (one the inbox has seen, a merchant with
 * an active loan, a settlementId seen before, a second event naming one settlement) is left for
 * handleLendingInput, which applies it alone (or answers it as a duplicate or a kept refusal).
 */
export async function applySettlementsWithNothingDue(
  dataSource: DataSource,
  events: readonly AnyCloudEvent[],
): Promise<Set<AnyCloudEvent>> {
  const settlements = events.filter(
    (event): event is CloudEvent<'order.settled'> => event.type === 'order.settled',
  );
  if (settlements.length === 0) return new Set();
  return dataSource.transaction(async (manager) => {
    // An event the inbox has seen is left to handleLendingInput: a duplicate, or a refusal that
    // must stay one (an order.settled refused while the merchant owed, redelivered once it owes
    // nothing, would otherwise be taken here).
    const seen = await seenByLending(manager, settlements);
    const firstPerSettlement = new Map<string, CloudEvent<'order.settled'>>();
    for (const event of settlements) {
      if (!seen.has(inboxKey(event)) && !firstPerSettlement.has(event.data.settlementId))
        firstPerSettlement.set(event.data.settlementId, event);
    }
    if (firstPerSettlement.size === 0) return new Set<AnyCloudEvent>();
    const recorded = await recordSettlementsWithNothingDue(
      manager,
      [...firstPerSettlement.values()].map((event) => ({
        merchantId: event.data.merchantId,
        orderId: event.data.orderId,
        settlementId: event.data.settlementId,
        settledAmountMinor: event.data.amountMinor,
        currency: event.data.currency,
        settledAt: event.time,
      })),
    );
    const applied = [...recorded].map((settlementId) => firstPerSettlement.get(settlementId)!);
    await recordInboxBatch(manager, LENDING_CONSUMER, applied);
    return new Set<AnyCloudEvent>(applied);
  });
}

const inboxKey = (event: { readonly source: string; readonly id: string }): string =>
  JSON.stringify([event.source, event.id]);

/** The events of `events` lending's inbox already holds, by inboxKey. */
async function seenByLending(manager: EntityManager, events: readonly AnyCloudEvent[]): Promise<Set<string>> {
  const rows: Array<{ source: string; event_id: string }> = await manager.query(
    `SELECT source, event_id FROM inbox
      WHERE consumer = $1
        AND (source, event_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [LENDING_CONSUMER, events.map((event) => event.source), events.map((event) => event.id)],
  );
  return new Set(rows.map((row) => inboxKey({ source: row.source, id: row.event_id })));
}
