import type { EntityManager } from 'typeorm';

/**
 * A decision the underwriter owes a merchant (the table `pending_decisions`, one row per
 * merchant): its profile signals were consumed, and the live policy forecast its line to hold,
 * so the decision waits to be made by the pending lane instead of in the signals' batch.
 */
export interface PendingDecision {
  readonly merchantId: string;
  /** The business time to decide as of: the newest pending signal's profile instant (canonical `toISOString` form). */
  readonly asOf: string;
  /** The newest pending signal (CloudEvents source and id): the decision's trigger, hence its id. */
  readonly triggerSource: string;
  readonly triggerId: string;
  /** Signals folded into the row. */
  readonly signals: number;
}

/** A row as the pending lane claims it. */
export interface ClaimedPendingDecision extends PendingDecision {
  /** How long the row had waited since its first signal (ms). */
  readonly waitedMs: number;
}

/** How one turn of the pending lane claims rows. */
export interface PendingDecisionTake {
  /** Most merchants one turn claims. */
  readonly merchantsMax: number;
  /** Only rows pending at least this long (ms) are claimed: a busy merchant's signals gather for this long. */
  readonly lingerMs: number;
  /** A claimed row is not claimed again for this long (ms): long enough for a turn to finish, short enough that a crashed lane's rows come back soon. */
  readonly leaseMs: number;
}

/**
 * Records pending decisions, one statement for the batch, inside the caller's transaction (the
 * one that records the signals in the inbox, so a signal is either consumed and pending, or
 * neither). A merchant already pending keeps the row's age; a signal as new as the row's instant
 * or newer replaces its trigger (and instant), an older one only counts. A signal folded into a
 * claimed row frees the claim and marks the row (`folded_since_claim`): the lane that holds it
 * may have read the profile before this signal's event reached it, so its decision must not
 * settle the row (settlePendingDecisions), and the next turn decides again. Rows are written in
 * merchant order (code-point order, Postgres's "C" collation), so two transactions take their
 * locks in one order.
 */
export async function recordPendingDecisions(
  manager: EntityManager,
  pending: readonly PendingDecision[],
): Promise<void> {
  if (pending.length === 0) return;
  const rows = [...pending].sort((a, b) =>
    a.merchantId < b.merchantId ? -1 : a.merchantId > b.merchantId ? 1 : 0,
  );
  await manager.query(
    `INSERT INTO pending_decisions AS pending (merchant_id, as_of, trigger_source, trigger_id, signals)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[])
     ON CONFLICT (merchant_id) DO UPDATE SET
       as_of = greatest(pending.as_of, EXCLUDED.as_of),
       trigger_source = CASE WHEN EXCLUDED.as_of >= pending.as_of THEN EXCLUDED.trigger_source ELSE pending.trigger_source END,
       trigger_id = CASE WHEN EXCLUDED.as_of >= pending.as_of THEN EXCLUDED.trigger_id ELSE pending.trigger_id END,
       claimed_until = NULL,
       folded_since_claim = pending.folded_since_claim OR pending.claimed_until IS NOT NULL,
       signals = pending.signals + EXCLUDED.signals`,
    [
      rows.map((row) => row.merchantId),
      rows.map((row) => row.asOf),
      rows.map((row) => row.triggerSource),
      rows.map((row) => row.triggerId),
      rows.map((row) => row.signals),
    ],
  );
}

/**
 * Deletes the pending rows that decisions just made cover: a merchant decided as of `now` owes no
 * decision as of any earlier instant (the profile read as of `now` counts every event before it).
 * A row with a newer instant stays, and so does one a signal was folded into since it was last
 * claimed (its event may postdate the profile a lane read). Inside the deciding transaction, so
 * the row goes if and only if the decision commits. The rows are locked in merchant order first,
 * as recordPendingDecisions writes them, so a batch that defers and a lane that settles never
 * wait on each other in a circle.
 */
export async function settlePendingDecisions(
  manager: EntityManager,
  decided: ReadonlyArray<{ readonly merchantId: string; readonly now: string }>,
): Promise<void> {
  if (decided.length === 0) return;
  await manager.query(
    `WITH decided AS (
       SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS decided(merchant_id, decided_as_of)),
     covered AS (
       SELECT pending.merchant_id FROM pending_decisions pending JOIN decided USING (merchant_id)
       WHERE pending.as_of <= decided.decided_as_of AND NOT pending.folded_since_claim
       ORDER BY pending.merchant_id COLLATE "C" FOR UPDATE OF pending)
     DELETE FROM pending_decisions WHERE merchant_id IN (SELECT merchant_id FROM covered)`,
    [decided.map((entry) => entry.merchantId), decided.map((entry) => entry.now)],
  );
}

/**
 * Claims, in a statement of its own (committed at once), the rows of up to `merchantsMax`
 * merchants that have waited `lingerMs`, longest-waiting first, and are not claimed by another
 * lane (SKIP LOCKED and the lease: several underwriters share the table). The claim is only a
 * lease: the row stays until a decision covers it (settlePendingDecisions), so a lane that dies
 * between claim and commit loses nothing.
 */
export async function claimPendingDecisions(
  manager: EntityManager,
  { merchantsMax, lingerMs, leaseMs }: PendingDecisionTake,
): Promise<ClaimedPendingDecision[]> {
  const rows: Array<{
    merchant_id: string;
    as_of: Date | string;
    trigger_source: string;
    trigger_id: string;
    signals: number;
    waited_ms: number;
  }> = await manager.query(
    // A SELECT around the UPDATE: TypeORM hands a bare UPDATE … RETURNING back as [rows, count].
    `WITH claimed AS (
       UPDATE pending_decisions
       SET claimed_until = clock_timestamp() + make_interval(secs => $3::float8 / 1000), folded_since_claim = false
       WHERE merchant_id IN (
         SELECT merchant_id FROM pending_decisions
         WHERE pending_since <= clock_timestamp() - make_interval(secs => $2::float8 / 1000)
           AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
         ORDER BY pending_since LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING merchant_id, as_of, trigger_source, trigger_id, signals, pending_since)
     SELECT merchant_id, as_of, trigger_source, trigger_id, signals,
            (extract(epoch FROM clock_timestamp() - pending_since) * 1000)::float8 AS waited_ms
     FROM claimed ORDER BY pending_since`,
    [merchantsMax, lingerMs, leaseMs],
  );
  return rows.map((row) => ({
    merchantId: row.merchant_id,
    asOf: new Date(row.as_of).toISOString(),
    triggerSource: row.trigger_source,
    triggerId: row.trigger_id,
    signals: row.signals,
    waitedMs: row.waited_ms,
  }));
}

/** Frees claimed rows at once (a turn that failed), rather than after their lease. */
export async function releasePendingClaims(
  manager: EntityManager,
  merchantIds: readonly string[],
): Promise<void> {
  if (merchantIds.length === 0) return;
  await manager.query(
    `UPDATE pending_decisions SET claimed_until = NULL WHERE merchant_id = ANY($1::text[])`,
    [merchantIds],
  );
}

/**
 * Deletes the rows of merchants the lane could not decide without breaking an invariant (the
 * same inputs break it again: kept, the row would be claimed every lease for ever). The
 * merchant is decided again on its next signal.
 */
export async function dropPendingDecisions(
  manager: EntityManager,
  merchantIds: readonly string[],
): Promise<void> {
  if (merchantIds.length === 0) return;
  await manager.query(`DELETE FROM pending_decisions WHERE merchant_id = ANY($1::text[])`, [merchantIds]);
}

/** How many merchants wait for a decision, and how long the longest has waited (ms; 0 when none). */
export async function pendingDecisionBacklog(
  manager: EntityManager,
): Promise<{ readonly merchants: number; readonly oldestWaitMs: number }> {
  const [row]: Array<{ merchants: number; oldest_wait_ms: number | null }> = await manager.query(
    `SELECT count(*)::int AS merchants,
            (extract(epoch FROM clock_timestamp() - min(pending_since)) * 1000)::float8 AS oldest_wait_ms
     FROM pending_decisions`,
  );
  return { merchants: row!.merchants, oldestWaitMs: Math.round(row!.oldest_wait_ms ?? 0) };
}
