import { DeadLetterReason, type CloudEvent } from '@lendstream/contracts';
import type { InboxEventIdentity } from '@lendstream/messaging';
import type { DataSource } from 'typeorm';
import { CHALLENGER_POLICY_VERSIONS, livePolicy, policyByVersion } from '../policy-registry';
import { forecastsLineMove } from '../line-move-forecast';
import type { DecisionTrigger } from './credit-decision-store';
import { peekCreditLines } from './credit-line-store';
import {
  claimPendingDecisions,
  dropPendingDecisions,
  PendingDecisionTake,
  releasePendingClaims,
} from './pending-decisions';
import { absentProfile, ProfileReader } from './profile-reader';
import {
  BudgetContendedError,
  BudgetMode,
  DecisionTimeMovedError,
  deferDecisionsInTransaction,
  DeferredDecisionRequest,
  underwriteBatchInTransaction,
  UnderwritingOutcome,
  UnderwritingPolicies,
  UnderwritingRequest,
} from './underwrite-merchant';

export type ProfileChangedSignal = CloudEvent<'profile.changed'>;

/** The `scf.loans.v1` events after which a merchant's line is decided again (an overdue loan freezes it, a repaid one may free it). */
export type LoanEvent = CloudEvent<'loan.activated' | 'loan.overdue' | 'loan.repaid' | 'loan.written-off'>;

/** What the underwriter decides on: a profile signal, or a change of the merchant's loans. */
export type DecisionTriggerEvent = ProfileChangedSignal | LoanEvent;

/** The business time a trigger asks for a decision as of: a signal's profile instant, a loan event's time. */
const asOfOf = (event: DecisionTriggerEvent): string =>
  event.type === 'profile.changed' ? event.data.asOf : event.time;

const triggerKindOf = (event: DecisionTriggerEvent): 'signal' | 'loan-event' =>
  event.type === 'profile.changed' ? 'signal' : 'loan-event';

/** The live policy and every registered challenger in shadow. */
export const defaultUnderwritingPolicies = (): UnderwritingPolicies => ({
  live: livePolicy(),
  challengers: CHALLENGER_POLICY_VERSIONS.map(policyByVersion),
});

/** Most merchants one call decides: a transport batch is bounded by its size anyway. */
export const SIGNALS_PER_CALL_MAX = 10_000;

/**
 * Most merchants decided in one transaction. Each holds an advisory lock until commit, and
 * Postgres's shared lock table has room for about max_locks_per_transaction (64) ×
 * max_connections (100) of them across the server; 256 leaves room for the other replicas
 * while still amortising the batch's fixed cost.
 */
export const MERCHANTS_PER_TRANSACTION = 256;

interface MerchantSignals<E extends DecisionTriggerEvent> {
  readonly merchantId: string;
  /** The newest trigger (by asOf; the later one on a tie): the decision is made as of it. */
  readonly newest: E;
  /** Every trigger of the merchant in the batch: all go to the inbox with the decision. */
  readonly all: E[];
}

/** One entry per merchant, in first-seen order. Pure. */
export function groupSignalsByMerchant<E extends DecisionTriggerEvent>(
  signals: readonly E[],
): MerchantSignals<E>[] {
  const byMerchant = new Map<string, { newest: E; all: E[] }>();
  for (const signal of signals) {
    const merchantId = signal.data.merchantId;
    const seen = byMerchant.get(merchantId);
    if (seen === undefined) {
      byMerchant.set(merchantId, { newest: signal, all: [signal] });
      continue;
    }
    seen.all.push(signal);
    if (Date.parse(asOfOf(signal)) >= Date.parse(asOfOf(seen.newest))) seen.newest = signal;
  }
  return [...byMerchant].map(([merchantId, entry]) => ({ merchantId, ...entry }));
}

const laterOf = (a: string, b: string | null): string => (b !== null && b > a ? b : a);

/** A decision owed to a merchant: for the triggers of a batch, or for a pending decision. */
interface DecisionDue {
  readonly merchantId: string;
  /** The instant the triggers ask for (RFC 3339). */
  readonly asOf: string;
  /** The newest trigger: the decision's id derives from it. */
  readonly trigger: DecisionTrigger;
  /** Every trigger to record in the inbox with the decision; none for a pending decision (recorded when it was deferred). */
  readonly inboxEvents: readonly InboxEventIdentity[];
  /**
   * Whether the decision may wait for the pending lane when the forecast says the line holds:
   * profile signals only. A loan event can freeze a line the forecast (which sees no loans)
   * calls quiet.
   */
  readonly deferrable: boolean;
  /**
   * Whether the decision must be made from a profile read after the line was last written
   * (UnderwritingRequest.lineVersionRead): a pending decision, made as of an instant a signal's
   * decision may have used too, with a fresher profile.
   */
  readonly checksLineVersion: boolean;
}

const dueOfSignals = ({ merchantId, newest, all }: MerchantSignals<DecisionTriggerEvent>): DecisionDue => ({
  merchantId,
  asOf: asOfOf(newest),
  trigger: { kind: triggerKindOf(newest), source: newest.source, id: newest.id },
  inboxEvents: all,
  deferrable: all.every((event) => event.type === 'profile.changed'),
  checksLineVersion: false,
});

export interface UnderwritingServiceOptions {
  /**
   * Leave the decisions of merchants forecast to hold to the pending lane (decidePending) rather
   * than make them in the signals' batch. Off, they are made at once, in a second transaction
   * after the moving ones.
   */
  readonly deferHolds: boolean;
}

/** What one turn of the pending lane did (UnderwritingService.decidePending). */
export interface PendingLaneReport {
  /** Merchants claimed. */
  readonly claimed: number;
  /** Decisions made (a merchant decided meanwhile as of a later instant counts as settled, not decided). */
  readonly decided: number;
  /** Decisions that moved a line after all (the forecast missed: a budget that binds, say). */
  readonly moved: number;
  /** Merchants whose decision would break an invariant: their pending rows are dropped (see dropPendingDecisions). */
  readonly rejected: ReadonlyArray<{ readonly merchantId: string; readonly message: string }>;
  /** How long the longest-waiting merchant claimed had waited (ms; 0 when none). */
  readonly oldestWaitMs: number;
  /** Every outcome, for the caller's bookkeeping (a lowered line may free budget headroom). */
  readonly outcomes: readonly UnderwritingOutcome[];
}

/**
 * The underwriter's use case: profile signals in, decisions out. Each merchant gets one
 * decision per batch, as of its newest signal, or as of its last decision if that is newer (a
 * late event signals an old time; deciding as of it would move the line back in time, so the
 * late event is counted by reading the profile as of the newer instant).
 *
 * The profiles are read outside the transaction (Redis is not held under a database lock), all
 * at once (ioredis pipelines concurrent commands on one connection); then the whole batch is
 * one transaction (underwriteBatchInTransaction), so its cost is a fixed number of round trips
 * rather than a dozen per merchant. Redis and Postgres errors are thrown: the transport retries
 * the batch, and the inbox makes a batch that did commit a no-op.
 *
 * With `deferHolds`, a busy batch decides only the merchants whose line the live policy forecasts
 * to move; the others' signals are consumed into pending decisions that the pending lane makes
 * later, one per merchant per linger window (decidePending).
 */
export class UnderwritingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileReader,
    private readonly policies: UnderwritingPolicies = defaultUnderwritingPolicies(),
    private readonly options: UnderwritingServiceOptions = { deferHolds: false },
  ) {}

  /** Profile signals and loan events alike; a merchant with both in one batch gets one decision, as of the newest. */
  async underwriteSignals(signals: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]> {
    if (signals.length > SIGNALS_PER_CALL_MAX)
      throw new RangeError(`${signals.length} signals in one call; at most ${SIGNALS_PER_CALL_MAX}`);
    return this.underwriteDues(groupSignalsByMerchant(signals).map(dueOfSignals), { forecast: true });
  }

  /**
   * One turn of the pending lane: claims the merchants whose pending decision has waited
   * `take.lingerMs` (claimPendingDecisions) and decides each as of its pending instant (or its
   * last decision's, if newer), as a batch of signals would, with no forecast: every one is
   * decided and stored, and a line that moves after all emits its event. Each decision deletes
   * the row it covers. Errors are thrown; the rows stay, their claims released for the next turn.
   */
  async decidePending(take: PendingDecisionTake): Promise<PendingLaneReport> {
    const claimed = await claimPendingDecisions(this.dataSource.manager, take);
    const dues = claimed.map(
      (row): DecisionDue => ({
        merchantId: row.merchantId,
        asOf: row.asOf,
        trigger: { kind: 'signal', source: row.triggerSource, id: row.triggerId },
        inboxEvents: [],
        deferrable: false,
        checksLineVersion: true,
      }),
    );
    let outcomes: UnderwritingOutcome[];
    try {
      outcomes = await this.underwriteDues(dues, { forecast: false });
    } catch (error) {
      await releasePendingClaims(
        this.dataSource.manager,
        claimed.map(({ merchantId }) => merchantId),
      ).catch(() => undefined); // the lease frees them anyway; the turn's own error is the one to report
      throw error;
    }
    const rejected = outcomes.flatMap((outcome, index) =>
      outcome.kind === 'rejected' ? [{ merchantId: dues[index]!.merchantId, message: outcome.violation.message }] : [],
    );
    await dropPendingDecisions(
      this.dataSource.manager,
      rejected.map(({ merchantId }) => merchantId),
    );
    const decided = outcomes.filter((outcome) => outcome.kind === 'decided');
    return {
      claimed: claimed.length,
      decided: decided.length,
      moved: decided.filter((outcome) => outcome.kind === 'decided' && outcome.event !== null).length,
      rejected,
      oldestWaitMs: Math.round(claimed.reduce((oldest, row) => Math.max(oldest, row.waitedMs), 0)),
      outcomes,
    };
  }

  /** One outcome per due, in order, in chunks of MERCHANTS_PER_TRANSACTION. */
  private async underwriteDues(
    dues: readonly DecisionDue[],
    { forecast }: { readonly forecast: boolean },
  ): Promise<UnderwritingOutcome[]> {
    const outcomes: UnderwritingOutcome[] = [];
    for (let start = 0; start < dues.length; start += MERCHANTS_PER_TRANSACTION) {
      outcomes.push(
        ...(await this.underwriteIsolatingBrokenInvariants(dues.slice(start, start + MERCHANTS_PER_TRANSACTION), {
          forecast,
        })),
      );
    }
    return outcomes;
  }

  /**
   * A chunk whose decision breaks an invariant (isBrokenInvariant: deterministic, so a retry
   * would fail the same way and stall the partition for ever) is split in halves until the
   * merchants at fault stand alone: those are `rejected` (the transport dead-letters their
   * triggers with BROKEN_INVARIANT), every other merchant is decided. Each half is a
   * transaction of its own, so a merchant at fault costs about log2(chunk) extra transactions.
   * Any other error is thrown, for the transport to retry.
   */
  private async underwriteIsolatingBrokenInvariants(
    dues: readonly DecisionDue[],
    options: { readonly forecast: boolean },
  ): Promise<UnderwritingOutcome[]> {
    try {
      return await this.underwriteChunk(dues, options);
    } catch (error) {
      if (!isBrokenInvariant(error)) throw error;
      if (dues.length === 1) {
        const message = `${dues[0]!.merchantId} was not decided: ${error.message}`;
        return [{ kind: 'rejected', violation: { reason: DeadLetterReason.BROKEN_INVARIANT, message } }];
      }
      const half = Math.ceil(dues.length / 2);
      return [
        ...(await this.underwriteIsolatingBrokenInvariants(dues.slice(0, half), options)),
        ...(await this.underwriteIsolatingBrokenInvariants(dues.slice(half), options)),
      ];
    }
  }

  /**
   * A chunk of merchants, their profiles and lines read first. From MOVING_FIRST_MIN_MERCHANTS up
   * (and when asked to), the live policy first forecasts which lines move (forecastsLineMove):
   * most signals of a busy merchant only confirm its line, and writing their decisions is most
   * of a batch's time, so the few decisions that raise an event must not wait for them.
   * - With `deferHolds`, the chunk is one transaction: the moving merchants (and any whose
   *   triggers include a loan event) are decided, the others' signals are consumed into pending
   *   decisions (deferDecisionsInTransaction) for the pending lane.
   * - Without, the moving merchants are decided and committed in a transaction of their own, then
   *   the rest; a failure of the second leaves the first committed, and the transport's retry
   *   finds its triggers in the inbox.
   * Each merchant's decision, lines, inbox and outbox rows commit together either way. Below the
   * threshold (or when the forecast puts every merchant on one side) the chunk is decided in one
   * transaction: at that rate deciding everything is cheap, and ops see every decision at once.
   */
  private async underwriteChunk(
    dues: readonly DecisionDue[],
    options: { readonly forecast: boolean },
  ): Promise<UnderwritingOutcome[]> {
    const forecast = options.forecast && dues.length >= MOVING_FIRST_MIN_MERCHANTS;
    const prepared = await this.prepare(dues, { forecast });
    const waits = (entry: PreparedMerchant): boolean =>
      !entry.forecastMove && (!this.options.deferHolds || dues[entry.index]!.deferrable);
    const now = prepared.filter((entry) => !waits(entry)).map(({ index }) => index);
    const later = prepared.filter(waits).map(({ index }) => index);
    if (!forecast || later.length === 0 || (now.length === 0 && !this.options.deferHolds))
      return this.commitChunk(dues, prepared.map(({ request }) => request));
    const outcomes: UnderwritingOutcome[] = new Array(dues.length);
    const place = (part: readonly number[], decided: readonly UnderwritingOutcome[]): void =>
      part.forEach((index, position) => (outcomes[index] = decided[position]!));
    if (this.options.deferHolds) {
      const deferred = later.map((index): DeferredDecisionRequest => {
        const { merchantId, trigger, inboxEvents } = dues[index]!;
        return { merchantId, asOf: prepared[index]!.request.now, trigger, inboxEvents };
      });
      const decided = await this.commitChunk(
        now.map((index) => dues[index]!),
        now.map((index) => prepared[index]!.request),
        deferred,
      );
      place(now, decided);
      place(later, decided.slice(now.length));
      return outcomes;
    }
    for (const part of [now, later])
      place(
        part,
        await this.commitChunk(
          part.map((index) => dues[index]!),
          part.map((index) => prepared[index]!.request),
        ),
      );
    return outcomes;
  }

  /**
   * One transaction for a chunk of merchants, decided from `requests` (prepared just before), and
   * the `deferred` ones consumed into pending decisions after them (outcomes: the requests', then
   * the deferred ones'). A merchant decided meanwhile as of a later instant (its loan event and its
   * profile signal arrive on two topics, handled side by side) makes the transaction roll back
   * with DecisionTimeMovedError; the chunk is then prepared again from the newer decision, a few
   * times, before the error goes to the transport's retry.
   *
   * The budget is taken optimistically first (BudgetMode): the transactions of other
   * underwriters and of the sweeps then commit side by side with this one instead of queueing
   * on the budget row for the whole of each other's writes. A
   * batch that finds the budget binding (BudgetContendedError) is decided again at once with
   * the budget locked first, which always completes.
   */
  private async commitChunk(
    dues: readonly DecisionDue[],
    prepared: readonly UnderwritingRequest[],
    deferred: readonly DeferredDecisionRequest[] = [],
  ): Promise<UnderwritingOutcome[]> {
    let budgetMode: BudgetMode = 'optimistic';
    let decisionTimeMoves = 0;
    let requests = prepared;
    for (;;) {
      try {
        return await this.dataSource.transaction(async (manager) => [
          ...(await underwriteBatchInTransaction(manager, requests, this.policies, budgetMode)),
          ...(await deferDecisionsInTransaction(manager, deferred)),
        ]);
      } catch (error) {
        if (error instanceof BudgetContendedError && budgetMode === 'optimistic') budgetMode = 'locked';
        else if (!(error instanceof DecisionTimeMovedError) || ++decisionTimeMoves >= DECISION_TIME_ATTEMPTS)
          throw error;
        else requests = (await this.prepare(dues, { forecast: false })).map(({ request }) => request);
      }
    }
  }

  /**
   * Each merchant's request, in order: the instant to decide as of (its due instant, or its
   * newest decision's if later) and its profile as of then; with `forecast`, whether the live
   * policy forecasts its line to move (from the line as last committed, read without a lock).
   */
  private async prepare(
    dues: readonly DecisionDue[],
    { forecast }: { readonly forecast: boolean },
  ): Promise<PreparedMerchant[]> {
    const lines = await peekCreditLines(
      this.dataSource.manager,
      dues.map(({ merchantId }) => merchantId),
    );
    return Promise.all(
      dues.map(async (due, index): Promise<PreparedMerchant> => {
        const { merchantId, asOf, trigger, inboxEvents } = due;
        const { line, lastDecidedAt, version } = lines.get(merchantId)!;
        const now = laterOf(new Date(asOf).toISOString(), lastDecidedAt);
        const profile = await this.profiles.readWindows(merchantId, new Date(now));
        const request: UnderwritingRequest = {
          merchantId,
          now,
          profile,
          trigger,
          inboxEvents,
          ...(due.checksLineVersion ? { lineVersionRead: version } : {}),
        };
        const forecastMove =
          forecast &&
          forecastsLineMove(
            { merchantId, now, profile: profile ?? absentProfile(merchantId, now), previousLine: line },
            this.policies.live,
          );
        return { index, request, forecastMove };
      }),
    );
  }
}

interface PreparedMerchant {
  /** The merchant's position in its chunk. */
  readonly index: number;
  readonly request: UnderwritingRequest;
  readonly forecastMove: boolean;
}

/**
 * Chunks smaller than this are decided whole, in one transaction: the forecast costs a policy
 * evaluation per merchant, worth it only when the quiet decisions' writes are long enough to
 * hold the moving ones back; below it every decision is made at once.
 */
export const MOVING_FIRST_MIN_MERCHANTS = 32;

/**
 * The credit core checks its invariants with RangeError and TypeError (assertCreditLineState, the
 * integer arithmetic, the policy's own checks): raised by pure code on the inputs alone, so the
 * same inputs raise them again. Postgres, Redis and Kafka failures are never of these classes.
 */
export const isBrokenInvariant = (error: unknown): error is RangeError | TypeError =>
  error instanceof RangeError || error instanceof TypeError;

/** Preparations of a chunk before a DecisionTimeMovedError is left to the transport's retry. */
const DECISION_TIME_ATTEMPTS = 3;
