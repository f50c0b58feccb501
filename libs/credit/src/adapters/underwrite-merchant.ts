import type { CloudEvent, ContractViolation } from '@lendstream/contracts';
import { enqueueOutbox, recordInboxBatch, type InboxEventIdentity } from '@lendstream/messaging';
import type { MerchantProfile } from '@lendstream/profile';
import type { EntityManager } from 'typeorm';
import { CreditDecision } from '../credit-decision';
import { CreditLineEventType, CreditLineState, exposureOf, sameCreditLineState } from '../credit-line-state';
import { CreditPolicy } from '../policy';
import { toStoredDecision } from '../stored-decision';
import { decideWithBudget, lendingCurrency, Portfolios, recordInPortfolio } from '../decide-with-budget';
import {
  DecisionRecord,
  DecisionTrigger,
  existingDecisionIds,
  insertCreditDecisions,
} from './credit-decision-store';
import { creditLineEvent } from './credit-line-event';
import { lockCreditLines, saveCreditLines, touchCreditLines } from './credit-line-store';
import { loadLendingPositions, positionOrNone } from './lending-position-store';
import { BudgetReading, loadPortfolios, portfolioOverDemand } from './portfolio-budget-store';
import { uuidFromName } from './deterministic-uuid';
import { recordPendingDecisions, settlePendingDecisions } from './pending-decisions';
import { absentProfile } from './profile-reader';

/** The inbox consumer name of the underwriter. */
export const UNDERWRITER_CONSUMER = 'underwriter';
/** The CloudEvents source of `scf.credit-lines.v1` events. */
export const UNDERWRITER_SOURCE = '/lendstream/underwriter';

/**
 * The live policy and the challengers that run beside it in shadow. A batch decides the live
 * policy only and queues its decisions for the challengers (shadow-lane.ts).
 */
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
  /**
   * For a sweep or a pending decision: the line's version (`credit_lines.version`; null: no line)
   * read before its profile was. Another version under the lock means the line was written
   * meanwhile, perhaps by a decision as of this same instant that read a fresher profile;
   * deciding from the older read would leave a stale decision as the newest (and move the line
   * back), so the request fails with DecisionTimeMovedError (it is prepared again). Signals need
   * none: a read that misses an event is always followed by that event's own signal, decided
   * after it.
   */
  readonly lineVersionRead?: string | null;
}

export type UnderwritingOutcome =
  | { readonly kind: 'duplicate' }
  /** Consumed and left to the pending lane (pending-decisions.ts): the live policy forecast the line to hold. */
  | { readonly kind: 'deferred' }
  /** Deciding would break an invariant (see isBrokenInvariant): nothing written; dead-letter the triggers. */
  | { readonly kind: 'rejected'; readonly violation: ContractViolation }
  | { readonly kind: 'already-decided'; readonly decisionId: string }
  | {
      readonly kind: 'decided';
      readonly decisionId: string;
      readonly event: CreditLineEventType | null;
      readonly line: CreditLineState | null;
    };

/**
 * The merchant had a newer decision than this one's business time by the time its lock was
 * taken (a sweep or another replica raced the read), or, for a sweep, its line was written
 * after the sweep read it. Transient: retrying re-reads the profile as of the newer time.
 */
export class DecisionTimeMovedError extends Error {
  constructor(merchantId: string, now: string, lastDecidedAt: string, detail?: string) {
    super(
      `${merchantId} was decided as of ${lastDecidedAt} while a decision as of ${now} was being prepared` +
        (detail === undefined ? '' : `: ${detail}`),
    );
    this.name = 'DecisionTimeMovedError';
  }
}

export const decisionIdOf = (trigger: DecisionTrigger, merchantId: string, policyVersion: string): string =>
  uuidFromName(
    `decision\n${trigger.kind}\n${trigger.source}\n${trigger.id}\n${merchantId}\n${policyVersion}`,
  );

/**
 * An optimistic batch found, under the budget lock, that its currency's demand exceeds the
 * budget: its decisions may have spent headroom another batch spent too, or that a better-ranked
 * merchant asks for. It rolls back and is decided again with the budget locked first.
 */
export class BudgetContendedError extends Error {
  constructor(readonly currencies: readonly string[]) {
    super(`the budget of ${currencies.join(', ')} binds: the batch must be decided under the budget lock`);
    this.name = 'BudgetContendedError';
  }
}

/**
 * How a batch takes its currencies' budgets (see BudgetReading):
 * - `locked` (the default): lock the budget rows before deciding, hold them until commit;
 * - `optimistic`: decide against the book as last committed, without the lock. A batch in which
 *   a decision is squeezed by the budget switches to `locked` before it writes anything; a batch
 *   that raises an exposure takes the lock only after its writes, for one sum, and throws
 *   BudgetContendedError (the caller retries it `locked`) if the budget binds. While the budget
 *   does not bind, which is nearly always, batches of different partitions then run side by side
 *   instead of one after another behind the budget row.
 */
export type BudgetMode = 'locked' | 'optimistic';

/**
 * One batch of decisions, inside the caller's transaction (DESIGN.md: the inbox rows, the
 * decisions, the lines and the outbox rows commit together or not at all), at most one request
 * per merchant:
 *
 * 1. the inbox (a merchant whose signals were all processed before changes nothing);
 * 2. the merchants' locks and lines, what lending holds of each (loans outstanding, reserved,
 *    overdue: read under the line locks, which lending also takes), then the budgets and books
 *    of every currency touched (locked or not: BudgetMode);
 * 3. each live decision under the portfolio budget, in request order, each standing against
 *    the book as the decisions before it left it;
 * 4. the decisions, each queued for the challengers if there are any (the shadow lane decides
 *    them after commit: stored, never emitted, no line change, and off the path from a signal
 *    to its event); the lines, and the `scf.credit-lines.v1` events in the outbox (after the
 *    merchants' locks, so outbox order per merchant is commit order); the pending decisions the
 *    merchants' decisions cover (settlePendingDecisions);
 * 5. optimistic and raising: the budget check under the lock (portfolioOverDemand).
 *
 * A batch costs a fixed number of statements whatever its size (a few per 1,000 merchants),
 * which is what lets one underwriter keep up with a partition's signals.
 */
export async function underwriteBatchInTransaction(
  manager: EntityManager,
  requests: readonly UnderwritingRequest[],
  policies: UnderwritingPolicies,
  budgetMode: BudgetMode = 'locked',
): Promise<UnderwritingOutcome[]> {
  assertOneRequestPerMerchant(requests);
  const outcomes: UnderwritingOutcome[] = new Array(requests.length);
  const fresh = new Set<InboxEventIdentity>(
    await recordInboxBatch(
      manager,
      UNDERWRITER_CONSUMER,
      requests.flatMap((request) => request.inboxEvents),
    ),
  );
  const toDecide = requests
    .map((request, index) => ({ request, index }))
    .filter(({ request, index }) => {
      const duplicate =
        request.inboxEvents.length > 0 && !request.inboxEvents.some((event) => fresh.has(event));
      if (duplicate) outcomes[index] = { kind: 'duplicate' };
      return !duplicate;
    });
  if (toDecide.length === 0) return outcomes;

  const locked = await lockCreditLines(
    manager,
    toDecide.map(({ request }) => request.merchantId),
  );
  const prepared = toDecide.map(({ request, index }): PreparedRequest => {
    const { line, lastDecidedAt, version } = locked.get(request.merchantId)!;
    if (lastDecidedAt !== null && lastDecidedAt > request.now)
      throw new DecisionTimeMovedError(request.merchantId, request.now, lastDecidedAt);
    if (request.lineVersionRead !== undefined && request.lineVersionRead !== version)
      throw new DecisionTimeMovedError(
        request.merchantId,
        request.now,
        lastDecidedAt ?? request.now,
        `its line was written (version ${request.lineVersionRead ?? 'none'} → ${version ?? 'none'}) after its profile was read`,
      );
    const profile = request.profile ?? absentProfile(request.merchantId, request.now);
    const decisionId = decisionIdOf(request.trigger, request.merchantId, policies.live.version);
    return { request, index, line, profile, decisionId };
  });
  const lending = await loadLendingPositions(
    manager,
    prepared.map(({ request }) => ({ merchantId: request.merchantId, now: request.now })),
  );
  const alreadyDecided = await existingDecisionIds(
    manager,
    prepared.map(({ decisionId }) => decisionId),
  );
  // Last of the reads: a locked budget serialises every batch of a currency until commit, so
  // nothing that does not need it runs after it is taken.
  const currencies = prepared.flatMap(
    ({ line, profile }) => lendingCurrency({ previousLine: line, profile }, policies.live) ?? [],
  );
  const inputs = { prepared, lending, alreadyDecided, live: policies.live };
  let batch = decideBatch(inputs, await loadPortfolios(manager, currencies, budgetReadingOf(budgetMode)));
  let checkBudgetBeforeCommit = false;
  if (budgetMode === 'optimistic') {
    if (batch.squeezed) batch = decideBatch(inputs, await loadPortfolios(manager, currencies, 'locked'));
    else checkBudgetBeforeCommit = batch.raisedCurrencies.size > 0;
  }

  await insertCreditDecisions(manager, batch.decisions, { queueForShadow: policies.challengers.length > 0 });
  await saveCreditLines(manager, batch.saves);
  await touchCreditLines(manager, batch.touches);
  if (batch.events.length > 0) await enqueueOutbox(manager, batch.events);
  await settlePendingDecisions(
    manager,
    prepared.map(({ request }) => ({ merchantId: request.merchantId, now: request.now })),
  );
  // Last: the budget lock is held only from here to commit.
  if (checkBudgetBeforeCommit) {
    const over = await portfolioOverDemand(manager, batch.raisedCurrencies);
    if (over.length > 0) throw new BudgetContendedError(over);
  }
  for (const [index, outcome] of batch.outcomes) outcomes[index] = outcome;
  return outcomes;
}

interface PreparedRequest {
  readonly request: UnderwritingRequest;
  readonly index: number;
  readonly line: CreditLineState | null;
  readonly profile: MerchantProfile;
  readonly decisionId: string;
}

const budgetReadingOf = (mode: BudgetMode): BudgetReading => (mode === 'locked' ? 'locked' : 'unlocked');

interface DecidedBatch {
  readonly outcomes: Map<number, UnderwritingOutcome>;
  readonly decisions: DecisionRecord[];
  readonly saves: Array<{ line: CreditLineState; lastDecidedAt: string }>;
  readonly touches: Array<{ merchantId: string; lastDecidedAt: string }>;
  readonly events: CloudEvent[];
  /** Some live decision was cut to fit the budget: the budget binds, so the batch must hold its lock. */
  readonly squeezed: boolean;
  /** The currencies in which some live decision raised a line's exposure (spent headroom). */
  readonly raisedCurrencies: Set<string>;
}

/** Every decision of the batch against `portfolios` (which it updates as lines move). Pure but for the book. */
function decideBatch(
  {
    prepared,
    lending,
    alreadyDecided,
    live: livePolicy,
  }: {
    readonly prepared: readonly PreparedRequest[];
    readonly lending: Awaited<ReturnType<typeof loadLendingPositions>>;
    readonly alreadyDecided: ReadonlySet<string>;
    readonly live: CreditPolicy;
  },
  portfolios: Portfolios,
): DecidedBatch {
  const batch = {
    outcomes: new Map<number, UnderwritingOutcome>(),
    decisions: [] as DecisionRecord[],
    saves: [] as DecidedBatch['saves'],
    touches: [] as DecidedBatch['touches'],
    events: [] as CloudEvent[],
    squeezed: false,
    raisedCurrencies: new Set<string>(),
  };
  for (const { request, index, line, profile, decisionId } of prepared) {
    if (alreadyDecided.has(decisionId)) {
      batch.outcomes.set(index, { kind: 'already-decided', decisionId });
      continue;
    }
    const { merchantId, now, trigger } = request;
    const profileFound = request.profile !== null;
    const base = { merchantId, now, profile, lending: positionOrNone(lending, merchantId) };
    const live = decideWithBudget(
      {
        ...base,
        decisionId,
        previousLine: line,
        newCreditLineId: uuidFromName(`credit-line\n${decisionId}`),
      },
      livePolicy,
      portfolios,
    );
    batch.decisions.push(decisionRecord(live, false, trigger, profileFound));
    if (live.budgetFit?.squeezed === true) batch.squeezed = true;
    if (live.next !== null && !sameCreditLineState(live.next, line)) {
      batch.saves.push({ line: live.next, lastDecidedAt: now });
      if (line === null || exposureOf(live.next) > exposureOf(line)) batch.raisedCurrencies.add(live.next.currency);
      recordInPortfolio(portfolios, live.next);
    } else if (line !== null) batch.touches.push({ merchantId, lastDecidedAt: now });
    const event = creditLineEvent(live, UNDERWRITER_SOURCE);
    if (event !== null) batch.events.push(event);
    batch.outcomes.set(index, { kind: 'decided', decisionId, event: live.event, line: live.next });
  }
  return batch;
}

/** Signals whose decision waits for the pending lane, one entry per merchant (deferDecisionsInTransaction). */
export interface DeferredDecisionRequest {
  readonly merchantId: string;
  /** The instant the decision will be made as of, at the earliest (canonical `toISOString` form). */
  readonly asOf: string;
  /** The newest of the signals: the decision's trigger. */
  readonly trigger: DecisionTrigger;
  /** Every signal of the merchant in the batch: all go to the inbox now. */
  readonly inboxEvents: readonly InboxEventIdentity[];
}

/**
 * Consumes signals without deciding, inside the caller's transaction: their inbox rows and one
 * pending decision per merchant (recordPendingDecisions), so the signals are either consumed and
 * owed a decision, or neither. A merchant all of whose signals were consumed before is a
 * `duplicate`; the others are `deferred`. Called after the batch's decisions (see
 * UnderwritingService): its row locks on pending_decisions are then the transaction's last,
 * taken once every merchant lock is held, so it cannot deadlock with the pending lane's
 * transactions, which take merchant locks first too.
 */
export async function deferDecisionsInTransaction(
  manager: EntityManager,
  requests: readonly DeferredDecisionRequest[],
): Promise<UnderwritingOutcome[]> {
  if (requests.length === 0) return [];
  assertOneRequestPerMerchant(requests);
  const fresh = new Set<InboxEventIdentity>(
    await recordInboxBatch(
      manager,
      UNDERWRITER_CONSUMER,
      requests.flatMap((request) => request.inboxEvents),
    ),
  );
  const outcomes = requests.map(
    (request): UnderwritingOutcome =>
      request.inboxEvents.some((event) => fresh.has(event)) ? { kind: 'deferred' } : { kind: 'duplicate' },
  );
  await recordPendingDecisions(
    manager,
    requests
      .filter((_, index) => outcomes[index]!.kind === 'deferred')
      .map((request) => ({
        merchantId: request.merchantId,
        asOf: request.asOf,
        triggerSource: request.trigger.source,
        triggerId: request.trigger.id,
        signals: request.inboxEvents.filter((event) => fresh.has(event)).length,
      })),
  );
  return outcomes;
}

/** One merchant's decision inside the caller's transaction: a batch of one. */
export async function underwriteInTransaction(
  manager: EntityManager,
  request: UnderwritingRequest,
  policies: UnderwritingPolicies,
): Promise<UnderwritingOutcome> {
  const [outcome] = await underwriteBatchInTransaction(manager, [request], policies);
  return outcome!;
}

/** A decision as the store takes it. */
export const decisionRecord = (
  decision: CreditDecision,
  shadow: boolean,
  trigger: DecisionTrigger,
  profileFound: boolean,
): DecisionRecord => ({
  stored: toStoredDecision(decision),
  shadow,
  trigger,
  profileFound,
  reasons: decision.next?.reasons ?? decision.assessment?.reasons ?? [],
});

function assertOneRequestPerMerchant(requests: ReadonlyArray<{ readonly merchantId: string }>): void {
  const seen = new Set<string>();
  for (const { merchantId } of requests) {
    if (seen.has(merchantId))
      throw new RangeError(`${merchantId} appears twice in one underwriting batch; group its signals first`);
    seen.add(merchantId);
  }
}
