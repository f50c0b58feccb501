import { AnyCloudEvent, CloudEvent, ContractViolation, DeadLetterReason } from '@lendstream/contracts';
import { recordInboxBatch } from '@lendstream/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { LendingPolicy } from '../lending-policy';
import { DrawdownRefusal, DrawdownRefusalCode } from '../refusal';
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
  /** A business rule refused it: nothing was written (not even the inbox row); dead-letter it. */
  | { readonly kind: 'rejected'; readonly violation: ContractViolation };

/**
 * Applies one input event exactly once: in one transaction, its inbox row (consumer `lending`,
 * the event's source and id) and its effect, so a redelivered or re-published event has no
 * second effect. A business-rule refusal rolls the whole transaction back (the inbox row too:
 * nothing happened, so a redelivery is refused again and dead-lettered again) and comes back as
 * a violation with a stable `dlq-reason`:
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
 * Anything else that fails (the database is down, a lock timed out) is thrown: the transport
 * retries the batch and never dead-letters it.
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

class RefusedInput extends Error {
  constructor(readonly violation: ContractViolation) {
    super(violation.message);
    this.name = 'RefusedInput';
  }
}

async function applyOnce(
  dataSource: DataSource,
  event: AnyCloudEvent,
  effect: (manager: EntityManager) => Promise<EffectAnswer>,
): Promise<LendingInputOutcome> {
  try {
    return await dataSource.transaction(async (manager): Promise<LendingInputOutcome> => {
      const fresh = await recordInboxBatch(manager, LENDING_CONSUMER, [
        { source: event.source, id: event.id },
      ]);
      if (fresh.length === 0) return { kind: 'duplicate' };
      const answer = await effect(manager);
      // Thrown to roll back everything, the inbox row included: a refused input had no effect.
      if ('violation' in answer) throw new RefusedInput(answer.violation);
      return { kind: 'applied', detail: answer.detail };
    });
  } catch (error) {
    if (error instanceof RefusedInput) return { kind: 'rejected', violation: error.violation };
    throw error;
  }
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
 * events so applied; every other event of the batch (a merchant with an active loan, a
 * settlementId seen before, a second event naming one settlement) is left for
 * handleLendingInput, which applies it alone.
 */
export async function applySettlementsWithNothingDue(
  dataSource: DataSource,
  events: readonly AnyCloudEvent[],
): Promise<Set<AnyCloudEvent>> {
  const firstPerSettlement = new Map<string, CloudEvent<'order.settled'>>();
  for (const event of events) {
    if (event.type === 'order.settled' && !firstPerSettlement.has(event.data.settlementId))
      firstPerSettlement.set(event.data.settlementId, event);
  }
  if (firstPerSettlement.size === 0) return new Set();
  return dataSource.transaction(async (manager) => {
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
