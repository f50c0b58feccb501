import { enqueueOutbox } from '@lendstream/messaging';
import type { MerchantProfile } from '@lendstream/profile';
import type { EntityManager } from 'typeorm';
import { CreditLineEventType, CreditLineState, sameCreditLineState } from '../credit-line-state';
import { Portfolios } from '../decide-with-budget';
import type { ManualUnfreezeError } from '../manual-freeze';
import { CreditPolicy } from '../policy';
import { toStoredDecision } from '../stored-decision';
import { DecisionTrigger, insertCreditDecision } from './credit-decision-store';
import { creditLineEvent } from './credit-line-event';
import { lockCreditLine, saveCreditLine, touchCreditLine } from './credit-line-store';
import { uuidFromName } from './deterministic-uuid';
import { loadLendingPositions, positionOrNone } from './lending-position-store';
import { decideManualCommand, ManualLineCommand } from './manual-line-decision';
import { loadPortfolios } from './portfolio-budget-store';
import { absentProfile } from './profile-reader';
import { decisionIdOf, DecisionTimeMovedError, UNDERWRITER_SOURCE } from './underwrite-merchant';

/** The trigger source of operations' decisions: the ops API. */
export const MANUAL_TRIGGER_SOURCE = '/lendstream/api';

/** The trigger of one operator's command; `commandId` names it (the audit entry's id). */
export const manualTrigger = (commandId: string): DecisionTrigger => ({
  kind: 'manual',
  source: MANUAL_TRIGGER_SOURCE,
  id: commandId,
});

export interface ManualLineRequest {
  readonly merchantId: string;
  readonly command: ManualLineCommand;
  /** Unique per command: the decision id derives from it (the API passes its audit entry's id). */
  readonly commandId: string;
  /**
   * The business time of the decision: the later of the request's wall clock and the line's
   * last decision (manualDecisionTime), so a command never moves the line back in time.
   */
  readonly now: string;
  /**
   * For an unfreeze, the profile as of `now`, read before the transaction (Redis is not held
   * under a database lock); null when the store has none (the policy then fails closed). A
   * freeze ignores it.
   */
  readonly profile: MerchantProfile | null;
}

export type ManualLineOutcome =
  | {
      readonly kind: 'applied';
      readonly decisionId: string;
      /** The scf.credit-lines.v1 event written to the outbox; null when the line did not move (a repeated freeze). */
      readonly event: CreditLineEventType | null;
      readonly before: CreditLineState;
      readonly after: CreditLineState;
    }
  | {
      /** The pure core refused the command: nothing was written. */
      readonly kind: 'refused';
      readonly reason: ManualUnfreezeError;
      readonly line: CreditLineState | null;
    };

/** The later of the request's wall clock and the line's last decision (both canonical ISO strings). */
export const manualDecisionTime = (requestedAt: string, lastDecidedAt: string | null): string =>
  lastDecidedAt !== null && lastDecidedAt > requestedAt ? lastDecidedAt : requestedAt;

/**
 * Operations freeze or unfreeze a merchant's line, inside the caller's transaction (the
 * idempotent write's, which also holds its audit entry), as the underwriter decides:
 *
 * 1. the merchant's lock (advisory, then the row), what lending holds of it (read under that
 *    lock, as the underwriter reads it), and for an unfreeze the budget of the line's currency
 *    under its lock, in the underwriter's order (merchant first), so the two never deadlock and
 *    never spend the same headroom;
 * 2. the decision with the live policy (decideManualCommand); a refusal writes nothing;
 * 3. the decision stored with its inputs (so `replay -- decisions` recomputes it), the line,
 *    and its `credit-line.frozen` / `unfrozen` / `adjusted` event in the outbox.
 *
 * Throws DecisionTimeMovedError when a decision newer than `now` was committed meanwhile:
 * transient, the caller re-reads and retries.
 */
export async function applyManualLineCommand(
  manager: EntityManager,
  request: ManualLineRequest,
  policy: CreditPolicy,
): Promise<ManualLineOutcome> {
  const { merchantId, command, now } = request;
  const { line, lastDecidedAt } = await lockCreditLine(manager, merchantId);
  if (lastDecidedAt !== null && lastDecidedAt > now)
    throw new DecisionTimeMovedError(merchantId, now, lastDecidedAt);

  const lending = positionOrNone(await loadLendingPositions(manager, [{ merchantId, now }]), merchantId);
  const unfreezing = command.kind === 'manual-unfreeze';
  const portfolios: Portfolios =
    unfreezing && line !== null ? await loadPortfolios(manager, [line.currency]) : new Map();
  const trigger = manualTrigger(request.commandId);
  const decisionId = decisionIdOf(trigger, merchantId, policy.version);
  const decision = decideManualCommand(
    {
      decisionId,
      merchantId,
      now,
      command,
      previousLine: line,
      newCreditLineId: uuidFromName(`credit-line\n${decisionId}`),
      lending,
      profile: unfreezing ? (request.profile ?? absentProfile(merchantId, now)) : null,
    },
    policy,
    portfolios,
  );
  if (decision.rejection !== null) return { kind: 'refused', reason: decision.rejection, line };
  const next = decision.next;
  if (line === null || next === null)
    throw new Error(`decision ${decisionId}: a manual command that applied must leave a line`);

  await insertCreditDecision(manager, {
    stored: toStoredDecision(decision),
    shadow: false,
    trigger,
    profileFound: unfreezing && request.profile !== null,
    reasons: next.reasons,
  });
  if (sameCreditLineState(line, next)) await touchCreditLine(manager, merchantId, now);
  else await saveCreditLine(manager, next, now);
  const event = creditLineEvent(decision, UNDERWRITER_SOURCE);
  if (event !== null) await enqueueOutbox(manager, [event]);
  return { kind: 'applied', decisionId, event: decision.event, before: line, after: next };
}

