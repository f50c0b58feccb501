import { DeadLetterReason, type CloudEvent } from '@lendstream/contracts';
import type { DataSource } from 'typeorm';
import { CHALLENGER_POLICY_VERSIONS, livePolicy, policyByVersion } from '../policy-registry';
import { forecastsLineMove } from '../line-move-forecast';
import { peekCreditLines } from './credit-line-store';
import { absentProfile, ProfileReader } from './profile-reader';
import {
  BudgetContendedError,
  BudgetMode,
  DecisionTimeMovedError,
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
 */
export class UnderwritingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileReader,
    private readonly policies: UnderwritingPolicies = defaultUnderwritingPolicies(),
  ) {}

  /** Profile signals and loan events alike; a merchant with both in one batch gets one decision, as of the newest. */
  async underwriteSignals(signals: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]> {
    if (signals.length > SIGNALS_PER_CALL_MAX)
      throw new RangeError(`${signals.length} signals in one call; at most ${SIGNALS_PER_CALL_MAX}`);
    const merchants = groupSignalsByMerchant(signals);
    if (merchants.length === 0) return [];
    const outcomes: UnderwritingOutcome[] = [];
    for (let start = 0; start < merchants.length; start += MERCHANTS_PER_TRANSACTION) {
      outcomes.push(
        ...(await this.underwriteIsolatingBrokenInvariants(
          merchants.slice(start, start + MERCHANTS_PER_TRANSACTION),
        )),
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
    merchants: ReadonlyArray<MerchantSignals<DecisionTriggerEvent>>,
  ): Promise<UnderwritingOutcome[]> {
    try {
      return await this.underwriteChunk(merchants);
    } catch (error) {
      if (!isBrokenInvariant(error)) throw error;
      if (merchants.length === 1) {
        const message = `${merchants[0]!.merchantId} was not decided: ${error.message}`;
        return [{ kind: 'rejected', violation: { reason: DeadLetterReason.BROKEN_INVARIANT, message } }];
      }
      const half = Math.ceil(merchants.length / 2);
      return [
        ...(await this.underwriteIsolatingBrokenInvariants(merchants.slice(0, half))),
        ...(await this.underwriteIsolatingBrokenInvariants(merchants.slice(half))),
      ];
    }
  }

  /**
   * A chunk of merchants, their profiles and lines read first, in at most two transactions: the
   * merchants whose line the live policy forecasts to move (forecastsLineMove), then the rest.
   * Most signals of a busy merchant only confirm its line, and writing their decisions is most
   * of a batch's time; committed first and alone, the few decisions that raise an event reach
   * the outbox without waiting for them. Each merchant's decision, lines, inbox and outbox rows
   * still commit together; a failure of the second transaction leaves the first committed, and
   * the transport's retry finds its triggers in the inbox. Below MOVING_FIRST_MIN_MERCHANTS
   * (or when the forecast puts every merchant on one side) the chunk is one transaction.
   */
  private async underwriteChunk(
    merchants: ReadonlyArray<MerchantSignals<DecisionTriggerEvent>>,
  ): Promise<UnderwritingOutcome[]> {
    const forecast = merchants.length >= MOVING_FIRST_MIN_MERCHANTS;
    const prepared = await this.prepare(merchants, { forecast });
    const moving = prepared.filter((entry) => entry.forecastMove).map(({ index }) => index);
    if (moving.length === 0 || moving.length === merchants.length)
      return this.commitChunk(merchants, prepared.map(({ request }) => request));
    const quiet = prepared.filter((entry) => !entry.forecastMove).map(({ index }) => index);
    const outcomes: UnderwritingOutcome[] = new Array(merchants.length);
    for (const part of [moving, quiet]) {
      const decided = await this.commitChunk(
        part.map((index) => merchants[index]!),
        part.map((index) => prepared[index]!.request),
      );
      part.forEach((index, position) => (outcomes[index] = decided[position]!));
    }
    return outcomes;
  }

  /**
   * One transaction for a chunk of merchants, decided from `requests` (prepared just before). A
   * merchant decided meanwhile as of a later instant (its loan event and its profile signal
   * arrive on two topics, handled side by side) makes the transaction roll back with
   * DecisionTimeMovedError; the chunk is then prepared again from the newer decision, a few
   * times, before the error goes to the transport's retry.
   *
   * The budget is taken optimistically first (BudgetMode): the transactions of other
   * underwriters and of the sweeps then commit side by side with this one instead of queueing
   * on the budget row for the whole of each other's writes. A
   * batch that finds the budget binding (BudgetContendedError) is decided again at once with
   * the budget locked first, which always completes.
   */
  private async commitChunk(
    merchants: ReadonlyArray<MerchantSignals<DecisionTriggerEvent>>,
    prepared: readonly UnderwritingRequest[],
  ): Promise<UnderwritingOutcome[]> {
    let budgetMode: BudgetMode = 'optimistic';
    let decisionTimeMoves = 0;
    let requests = prepared;
    for (;;) {
      try {
        return await this.dataSource.transaction((manager) =>
          underwriteBatchInTransaction(manager, requests, this.policies, budgetMode),
        );
      } catch (error) {
        if (error instanceof BudgetContendedError && budgetMode === 'optimistic') budgetMode = 'locked';
        else if (!(error instanceof DecisionTimeMovedError) || ++decisionTimeMoves >= DECISION_TIME_ATTEMPTS)
          throw error;
        else requests = (await this.prepare(merchants, { forecast: false })).map(({ request }) => request);
      }
    }
  }

  /**
   * Each merchant's request, in order: the instant to decide as of (its newest trigger's, or its
   * newest decision's if later) and its profile as of then; with `forecast`, whether the live
   * policy forecasts its line to move (from the line as last committed, read without a lock).
   */
  private async prepare(
    merchants: ReadonlyArray<MerchantSignals<DecisionTriggerEvent>>,
    { forecast }: { readonly forecast: boolean },
  ): Promise<PreparedMerchant[]> {
    const lines = await peekCreditLines(
      this.dataSource.manager,
      merchants.map(({ merchantId }) => merchantId),
    );
    return Promise.all(
      merchants.map(async ({ merchantId, newest, all }, index): Promise<PreparedMerchant> => {
        const { line, lastDecidedAt } = lines.get(merchantId)!;
        const now = laterOf(new Date(asOfOf(newest)).toISOString(), lastDecidedAt);
        const profile = await this.profiles.readWindows(merchantId, new Date(now));
        const request: UnderwritingRequest = {
          merchantId,
          now,
          profile,
          trigger: { kind: triggerKindOf(newest), source: newest.source, id: newest.id },
          inboxEvents: all,
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
 * Chunks smaller than this are one transaction: the forecast costs a policy evaluation per
 * merchant and the split a second commit, worth it only when the quiet decisions' writes are
 * long enough to hold the moving ones back.
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
