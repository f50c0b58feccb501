import type { DataSource, EntityManager } from 'typeorm';
import { decideWithBudget, lendingCurrency } from '../decide-with-budget';
import { CreditPolicy } from '../policy';
import { decodeProfileSnapshot } from '../profile-snapshot';
import { storedLendingPosition } from '../stored-decision';
import {
  DecisionRecord,
  DecisionTrigger,
  insertCreditDecisions,
  latestShadowDecisions,
  shadowLineKey,
} from './credit-decision-store';
import { uuidFromName } from './deterministic-uuid';
import { lockMerchantsInOrder } from './merchant-locks';
import { loadPortfolios } from './portfolio-budget-store';
import { absentProfile } from './profile-reader';
import { decisionIdOf, decisionRecord } from './underwrite-merchant';

/** How one turn of the shadow lane takes from its queue. */
export interface ShadowLaneTake {
  /** Most merchants one turn decides (one transaction): bounds a turn's work and how long it holds the process. */
  readonly merchantsMax: number;
  /**
   * Only merchants whose oldest queued entry is at least this old (ms) are taken, and then every
   * entry of theirs: the live decisions of a busy merchant gather for this long and one shadow
   * decision covers them all. 0: everything queued is ready.
   */
  readonly lingerMs: number;
}

export const SHADOW_LANE_TAKE_DEFAULTS: ShadowLaneTake = { merchantsMax: 25, lingerMs: 5_000 };

/** Merchants decided between two yields of the event loop: the live batches of the same process wait no longer than that. */
const MERCHANTS_PER_YIELD = 10;

export interface ShadowLaneReport {
  /** Queue entries taken and deleted. */
  readonly taken: number;
  /** Merchants whose entries were taken. */
  readonly merchants: number;
  /** Live decisions the challengers decided after (at most one per merchant). */
  readonly decided: number;
  /**
   * Entries left without a shadow twin: a live decision of a merchant with a newer one taken
   * with it, or older than the challenger's newest decision about the merchant.
   */
  readonly coalesced: number;
  /** Shadow decisions stored (decided × challengers, less those stored before). */
  readonly stored: number;
  /** How long the oldest entry taken had waited (ms; 0 when none): far past the linger window, the lane is behind. */
  readonly oldestWaitMs: number;
}

interface LiveRow {
  readonly merchant_id: string;
  readonly trigger_kind: DecisionTrigger['kind'];
  readonly trigger_source: string;
  readonly trigger_id: string;
  readonly profile_found: boolean;
  readonly decided_at: string;
  readonly features: unknown;
  readonly lending: unknown;
}

/**
 * The shadow lane: the challengers' decisions, made after the live ones commit and off the path
 * from a signal to its `scf.credit-lines.v1` event (a challenger's decision is evaluation, never
 * money: nothing waits for it). One turn is one transaction: it takes every queued entry of up
 * to `merchantsMax` merchants whose oldest entry has waited `lingerMs` (oldest first; FOR UPDATE
 * SKIP LOCKED, so several underwriters share the queue), decides each challenger once per
 * merchant, as of the merchant's newest queued live decision, from what that decision stored (its
 * features, lending position and time: the challenger sees exactly what the live policy saw),
 * against the portfolio as last committed, and stores the shadow decisions with the ids they
 * always had (decisionIdOf: the live decision's trigger and the challenger's version). The queue
 * rows are deleted in the same transaction, so a crash leaves them to the next turn.
 *
 * A busy merchant's live decisions come every fraction of a second; one shadow decision per
 * linger window covers them (the older ones count as `coalesced`: a policy diff pairs the shadow
 * decisions that exist with their live twins). That bounds the lane's cost by the merchants, not
 * the signals, and small, paced turns (ShadowLaneScheduler's) spread it evenly instead of in
 * bursts that the live decisions queue behind.
 */
export async function decideShadowBacklog(
  dataSource: DataSource,
  challengers: readonly CreditPolicy[],
  take: Partial<ShadowLaneTake> = {},
): Promise<ShadowLaneReport> {
  const { merchantsMax, lingerMs } = { ...SHADOW_LANE_TAKE_DEFAULTS, ...take };
  if (!Number.isInteger(merchantsMax) || merchantsMax < 1)
    throw new RangeError(`merchantsMax must be a positive integer, got ${merchantsMax}`);
  if (!Number.isInteger(lingerMs) || lingerMs < 0)
    throw new RangeError(`lingerMs must be a whole number of milliseconds, got ${lingerMs}`);
  return dataSource.transaction((manager) =>
    decideShadowBatch(manager, challengers, { merchantsMax, lingerMs }),
  );
}

/** One turn of decideShadowBacklog inside the caller's transaction. */
export async function decideShadowBatch(
  manager: EntityManager,
  challengers: readonly CreditPolicy[],
  { merchantsMax, lingerMs }: ShadowLaneTake,
): Promise<ShadowLaneReport> {
  const queued: Array<{ seq: string; decision_id: string; merchant_id: string; waited_ms: number }> =
    await manager.query(
      // A SELECT around the DELETE: TypeORM hands a bare DELETE … RETURNING back as [rows, count].
      `WITH ready AS (
       SELECT merchant_id FROM shadow_decision_queue
       GROUP BY merchant_id
       HAVING min(enqueued_at) <= clock_timestamp() - make_interval(secs => $2::float8 / 1000)
       ORDER BY min(seq) LIMIT $1),
     taken AS (
       DELETE FROM shadow_decision_queue WHERE seq IN (
         SELECT queue.seq FROM shadow_decision_queue queue JOIN ready USING (merchant_id)
         FOR UPDATE OF queue SKIP LOCKED)
       RETURNING seq, decision_id, merchant_id, enqueued_at)
     SELECT seq::text AS seq, decision_id, merchant_id,
            (extract(epoch FROM clock_timestamp() - enqueued_at) * 1000)::float8 AS waited_ms
     FROM taken`,
      [merchantsMax, lingerMs],
    );
  const merchantCount = new Set(queued.map((row) => row.merchant_id)).size;
  const oldestWaitMs = Math.round(queued.reduce((oldest, row) => Math.max(oldest, row.waited_ms), 0));
  const nothing = {
    taken: queued.length,
    merchants: merchantCount,
    decided: 0,
    coalesced: queued.length,
    stored: 0,
    oldestWaitMs,
  };
  if (queued.length === 0 || challengers.length === 0) return nothing;

  // Two lanes may each hold a different entry of one merchant: the second to lock decides
  // after the first's commit, from the shadow line the first left.
  await lockMerchantsInOrder(
    manager,
    'shadow-line',
    queued.map((row) => row.merchant_id),
  );
  // Each merchant's newest queued live decision (its business time, then the later queued on a
  // tie), chosen here so that only those rows' features travel, and only what a decision needs.
  const newest: LiveRow[] = await manager.query(
    `SELECT DISTINCT ON (decision.merchant_id) decision.merchant_id, decision.trigger_kind,
            decision.trigger_source, decision.trigger_id, decision.profile_found,
            decision.inputs->>'decidedAt' AS decided_at, decision.features, decision.inputs->'lending' AS lending
     FROM unnest($1::uuid[], $2::bigint[]) AS queued(decision_id, seq)
     JOIN credit_decisions decision ON decision.decision_id = queued.decision_id AND NOT decision.shadow
     WHERE decision.inputs->'command'->>'kind' = 'underwrite'
     ORDER BY decision.merchant_id, decision.decided_at DESC, queued.seq DESC`,
    [queued.map((row) => row.decision_id), queued.map((row) => row.seq)],
  );
  const versions = challengers.map((challenger) => challenger.version);
  const latest = await latestShadowDecisions(
    manager,
    newest.map((row) => row.merchant_id),
    versions,
  );

  const inputs = newest.map((row) => {
    const now = row.decided_at;
    return {
      row,
      now,
      lending: storedLendingPosition(row.lending),
      profile:
        row.features === null ? absentProfile(row.merchant_id, now) : decodeProfileSnapshot(row.features),
    };
  });
  const portfolios = await loadPortfolios(
    manager,
    inputs.flatMap(({ row, profile }) =>
      challengers.flatMap(
        (challenger) =>
          lendingCurrency(
            {
              previousLine: latest.get(shadowLineKey(row.merchant_id, challenger.version))?.line ?? null,
              profile,
            },
            challenger,
          ) ?? [],
      ),
    ),
    'unlocked',
  );

  const records: DecisionRecord[] = [];
  let decided = 0;
  for (const [position, { row, now, lending, profile }] of inputs.entries()) {
    if (position > 0 && position % MERCHANTS_PER_YIELD === 0) await yieldToLiveBatches();
    const trigger = { kind: row.trigger_kind, source: row.trigger_source, id: row.trigger_id };
    let decidedAny = false;
    for (const challenger of challengers) {
      const previous = latest.get(shadowLineKey(row.merchant_id, challenger.version));
      // The challenger already decided as of a later instant (a lane that took a newer entry first).
      if (previous !== undefined && previous.decidedAt > now) continue;
      const shadowId = decisionIdOf(trigger, row.merchant_id, challenger.version);
      const decision = decideWithBudget(
        {
          decisionId: shadowId,
          merchantId: row.merchant_id,
          now,
          profile,
          lending,
          previousLine: previous?.line ?? null,
          newCreditLineId: uuidFromName(`credit-line\n${shadowId}`),
        },
        challenger,
        portfolios,
      );
      records.push(decisionRecord(decision, true, trigger, row.profile_found));
      decidedAny = true;
    }
    if (decidedAny) decided += 1;
  }
  const stored = (await insertCreditDecisions(manager, records)).size;
  return {
    taken: queued.length,
    merchants: merchantCount,
    decided,
    coalesced: queued.length - decided,
    stored,
    oldestWaitMs,
  };
}

const yieldToLiveBatches = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
