import { createEvent, type CloudEvent } from '@lendstream/contracts';
import { enqueueOutbox, recordInboxBatch, type InboxEventIdentity } from '@lendstream/messaging';
import type { MerchantProfile } from '@lendstream/profile';
import type { EntityManager } from 'typeorm';
import { CreditDecision } from '../credit-decision';
import { creditLineEventData, CreditLineEventType, CreditLineState } from '../credit-line-state';
import { canonicalJson, toJsonSafe } from '../json-safe';
import { CreditPolicy } from '../policy';
import { toStoredDecision } from '../stored-decision';
import { DecisionTrigger, insertCreditDecision, latestShadowLine } from './credit-decision-store';
import { lockCreditLine, saveCreditLine, touchCreditLine } from './credit-line-store';
import { decideWithBudget } from './decide-with-budget';
import { uuidFromName } from './deterministic-uuid';
import { absentProfile } from './profile-reader';

/** The inbox consumer name of the underwriter. */
export const UNDERWRITER_CONSUMER = 'underwriter';
/** The CloudEvents source of `scf.credit-lines.v1` events. */
export const UNDERWRITER_SOURCE = '/lendstream/underwriter';

/** The live policy and the challengers that run beside it in shadow. */
export interface UnderwritingPolicies {
  readonly live: CreditPolicy;
  readonly challengers: readonly CreditPolicy[];
}

export interface UnderwritingRequest {
  readonly merchantId: string;
  /** The business time of the decision (RFC 3339, canonical `toISOString` form); the profile was read as of it. */
  readonly now: string;
  /** Null: the store had no profile (fail closed, see absentProfile). */
  readonly profile: MerchantProfile | null;
  readonly trigger: DecisionTrigger;
  /** Signals to record in the inbox with the decision; empty for a sweep. */
  readonly inboxEvents: readonly InboxEventIdentity[];
}

export type UnderwritingOutcome =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'already-decided'; readonly decisionId: string }
  | {
      readonly kind: 'decided';
      readonly decisionId: string;
      readonly event: CreditLineEventType | null;
      readonly line: CreditLineState | null;
    };

/**
 * The merchant had a newer decision than this one's business time by the time its lock was
 * taken (a sweep or another replica raced the read). Transient: retrying re-reads the profile
 * as of the newer time.
 */
export class DecisionTimeMovedError extends Error {
  constructor(merchantId: string, now: string, lastDecidedAt: string) {
    super(
      `${merchantId} was decided as of ${lastDecidedAt} while a decision as of ${now} was being prepared`,
    );
    this.name = 'DecisionTimeMovedError';
  }
}

export const decisionIdOf = (trigger: DecisionTrigger, merchantId: string, policyVersion: string): string =>
  uuidFromName(
    `decision\n${trigger.kind}\n${trigger.source}\n${trigger.id}\n${merchantId}\n${policyVersion}`,
  );

const sameLine = (a: CreditLineState | null, b: CreditLineState | null): boolean =>
  canonicalJson(toJsonSafe(a)) === canonicalJson(toJsonSafe(b));

function creditLineEvent(decision: CreditDecision): CloudEvent | null {
  if (decision.event === null || decision.next === null) return null;
  return createEvent({
    type: decision.event,
    // Derived from the decision: a retried transaction writes the same event id.
    id: uuidFromName(`credit-line-event\n${decision.input.decisionId}`),
    source: UNDERWRITER_SOURCE,
    time: decision.input.now,
    data: creditLineEventData(decision.next),
  }) as CloudEvent;
}

/**
 * One merchant's decision, inside the caller's transaction (DESIGN.md: the inbox row, the
 * decision, the line and the outbox row commit together or not at all):
 *
 * 1. the inbox (a signal already processed changes nothing);
 * 2. the merchant's lock and line;
 * 3. the live decision under the portfolio budget, stored with its features;
 * 4. the line, and the `scf.credit-lines.v1` event in the outbox (after the merchant's lock,
 *    so outbox order per merchant is commit order);
 * 5. each challenger in shadow: stored, never emitted, no line change.
 */
export async function underwriteInTransaction(
  manager: EntityManager,
  request: UnderwritingRequest,
  policies: UnderwritingPolicies,
): Promise<UnderwritingOutcome> {
  const { merchantId, now, trigger } = request;
  if (request.inboxEvents.length > 0) {
    const fresh = await recordInboxBatch(manager, UNDERWRITER_CONSUMER, request.inboxEvents);
    if (fresh.length === 0) return { kind: 'duplicate' };
  }
  const locked = await lockCreditLine(manager, merchantId);
  if (locked.lastDecidedAt !== null && locked.lastDecidedAt > now)
    throw new DecisionTimeMovedError(merchantId, now, locked.lastDecidedAt);
  const profile = request.profile ?? absentProfile(merchantId, now);
  const profileFound = request.profile !== null;

  const decisionId = decisionIdOf(trigger, merchantId, policies.live.version);
  const base = { merchantId, now, profile, newCreditLineId: uuidFromName(`credit-line\n${decisionId}`) };
  const live = await decideWithBudget(
    manager,
    { ...base, decisionId, previousLine: locked.line },
    policies.live,
  );
  const inserted = await insertCreditDecision(manager, {
    stored: toStoredDecision(live),
    shadow: false,
    trigger,
    profileFound,
    reasons: live.next?.reasons ?? live.assessment?.reasons ?? [],
  });
  if (!inserted) return { kind: 'already-decided', decisionId };

  if (live.next !== null && !sameLine(live.next, locked.line)) await saveCreditLine(manager, live.next, now);
  else if (locked.line !== null) await touchCreditLine(manager, merchantId, now);
  const event = creditLineEvent(live);
  if (event !== null) await enqueueOutbox(manager, [event]);

  for (const challenger of policies.challengers) {
    const shadowId = decisionIdOf(trigger, merchantId, challenger.version);
    const shadow = await decideWithBudget(
      manager,
      {
        ...base,
        decisionId: shadowId,
        newCreditLineId: uuidFromName(`credit-line\n${shadowId}`),
        previousLine: await latestShadowLine(manager, merchantId, challenger.version),
      },
      challenger,
    );
    await insertCreditDecision(manager, {
      stored: toStoredDecision(shadow),
      shadow: true,
      trigger,
      profileFound,
      reasons: shadow.next?.reasons ?? shadow.assessment?.reasons ?? [],
    });
  }
  return { kind: 'decided', decisionId, event: live.event, line: live.next };
}
