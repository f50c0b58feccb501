import type { DataSource, EntityManager } from 'typeorm';
import { decideWithBudget, lendingCurrency } from '../decide-with-budget';
import { CreditPolicy } from '../policy';
import { storedDecisionInput } from '../stored-decision';
import {
  CREDIT_DECISION_COLUMNS,
  CreditDecisionRow,
  DecisionRecord,
  insertCreditDecisions,
  latestShadowDecisions,
  shadowLineKey,
  storedDecisionOfRow,
} from './credit-decision-store';
import { uuidFromName } from './deterministic-uuid';
import { loadPortfolios } from './portfolio-budget-store';
import { absentProfile } from './profile-reader';
import { decisionIdOf, decisionRecord } from './underwrite-merchant';

/** Most queued live decisions one shadow batch takes (and one transaction deletes). */
export const SHADOW_LANE_ENTRIES_MAX = 1_000;

/** Merchants decided between two yields of the event loop: the live batches of the same process wait no longer than that. */
const MERCHANTS_PER_TURN = 25;

export interface ShadowLaneReport {
  /** Queue entries taken and deleted. */
  readonly taken: number;
  /** Live decisions the challengers decided after (at most one per merchant). */
  readonly decided: number;
  /**
   * Entries left without a shadow twin: a live decision of a merchant with a newer one in the
   * same batch, or older than the challenger's newest decision about the merchant.
   */
  readonly coalesced: number;
  /** Shadow decisions stored (decided × challengers, less those stored before). */
  readonly stored: number;
}

interface QueuedRow {
  readonly seq: string;
  readonly decision_id: string;
  readonly merchant_id: string;
}

type LiveRow = CreditDecisionRow & { readonly trigger_source: string; readonly trigger_id: string };
const LIVE_COLUMNS = `${CREDIT_DECISION_COLUMNS.split(',')
  .map((column) => `decision.${column.trim()}`)
  .join(', ')}, decision.trigger_source, decision.trigger_id`;

/**
 * The shadow lane: the challengers' decisions, made after the live ones commit and off the path
 * from a signal to its `scf.credit-lines.v1` event (a challenger's decision is evaluation, never
 * money: nothing waits for it). One transaction takes up to `entriesMax` queued live decisions
 * (oldest first, FOR UPDATE SKIP LOCKED so several underwriters share the queue), decides each
 * challenger once per merchant, as of the merchant's newest queued live decision, from what that
 * decision stored (its features, lending position and time: the challenger sees exactly what the
 * live policy saw), against the portfolio as last committed, and stores the shadow decisions with
 * the ids they always had (decisionIdOf: the live decision's trigger and the challenger's version).
 * The queue rows are deleted in the same transaction, so a crash leaves them to the next batch.
 *
 * Under load a merchant's live decisions come faster than one batch; deciding its newest only is
 * what keeps the lane's cost bounded by the merchants, not the signals (the older ones are counted
 * as `coalesced`: a policy diff pairs the shadow decisions that exist with their live twins).
 */
export async function decideShadowBacklog(
  dataSource: DataSource,
  challengers: readonly CreditPolicy[],
  { entriesMax = SHADOW_LANE_ENTRIES_MAX }: { readonly entriesMax?: number } = {},
): Promise<ShadowLaneReport> {
  if (!Number.isInteger(entriesMax) || entriesMax < 1)
    throw new RangeError(`entriesMax must be a positive integer, got ${entriesMax}`);
  return dataSource.transaction((manager) => decideShadowBatch(manager, challengers, entriesMax));
}

/** decideShadowBacklog inside the caller's transaction. */
export async function decideShadowBatch(
  manager: EntityManager,
  challengers: readonly CreditPolicy[],
  entriesMax: number,
): Promise<ShadowLaneReport> {
  const queued: QueuedRow[] = await manager.query(
    // A SELECT around the DELETE: TypeORM hands a bare DELETE … RETURNING back as [rows, count].
    `WITH taken AS (
       DELETE FROM shadow_decision_queue WHERE seq IN (
         SELECT seq FROM shadow_decision_queue ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING seq, decision_id, merchant_id)
     SELECT seq::text AS seq, decision_id, merchant_id FROM taken`,
    [entriesMax],
  );
  if (queued.length === 0 || challengers.length === 0)
    return { taken: queued.length, decided: 0, coalesced: queued.length, stored: 0 };

  // Two lanes may each hold a different entry of one merchant: the second to lock decides
  // after the first's commit, from the shadow line the first left.
  const merchantIds = [...new Set(queued.map((row) => row.merchant_id))].sort();
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('shadow-line:' || merchant_id, 0))
     FROM unnest($1::text[]) WITH ORDINALITY AS wanted(merchant_id, position)
     ORDER BY position`,
    [merchantIds],
  );
  // Each merchant's newest queued live decision (its business time, then the later queued on a
  // tie), chosen here so that only those rows' features travel.
  const newest: LiveRow[] = await manager.query(
    `SELECT DISTINCT ON (decision.merchant_id) ${LIVE_COLUMNS}
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
    const input = storedDecisionInput(storedDecisionOfRow(row));
    return {
      row,
      input,
      profile: input.profile ?? absentProfile(input.merchantId, input.now),
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
  for (const [position, { row, input, profile }] of inputs.entries()) {
    if (position > 0 && position % MERCHANTS_PER_TURN === 0) await yieldToLiveBatches();
    const trigger = { kind: row.trigger_kind, source: row.trigger_source, id: row.trigger_id };
    let decidedAny = false;
    for (const challenger of challengers) {
      const previous = latest.get(shadowLineKey(row.merchant_id, challenger.version));
      // The challenger already decided as of a later instant (a lane that took a newer entry first).
      if (previous !== undefined && previous.decidedAt > input.now) continue;
      const shadowId = decisionIdOf(trigger, row.merchant_id, challenger.version);
      const decision = decideWithBudget(
        {
          decisionId: shadowId,
          merchantId: row.merchant_id,
          now: input.now,
          profile,
          lending: input.lending,
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
  return { taken: queued.length, decided, coalesced: queued.length - decided, stored };
}

const yieldToLiveBatches = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
