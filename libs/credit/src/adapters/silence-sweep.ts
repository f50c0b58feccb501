import type { DataSource } from 'typeorm';
import { DAY_MS } from '../event-time';
import { ProfileReader } from './profile-reader';
import {
  DecisionTimeMovedError,
  underwriteInTransaction,
  UnderwritingOutcome,
  UnderwritingPolicies,
  UNDERWRITER_SOURCE,
} from './underwrite-merchant';

/** Most lines one sweep re-decides; the rest wait for the next sweep. */
export const SILENCE_SWEEP_LINES_MAX = 1_000;

export interface SilenceSweepReport {
  /** The business clock the sweep decided as of; null with no line at all. */
  readonly clock: string | null;
  readonly decided: number;
  readonly closed: number;
}

/**
 * Closes lines whose merchant has gone silent (docs/credit-policy.md, "Close"). A silent
 * merchant sends no event, so no signal would ever decide it: a clock has to.
 *
 * The clock is business time, not the wall clock: the newest decision time of any line
 * (`max(last_decided_at)`), i.e. the newest event time the underwriter has seen. A replay of
 * last year's log therefore closes the same lines at the same points, and a stalled input
 * stream closes nothing (its silence is ours, not the merchants'). Candidates are open lines
 * whose newest decision is at least the policy's silence period older than the clock; each is
 * re-decided as of the clock, and the policy closes it if its profile's newest event is that
 * old too. Each line is checked once per clock value (`silence_checked_at`).
 */
export async function sweepSilentLines(
  dataSource: DataSource,
  profiles: ProfileReader,
  policies: UnderwritingPolicies,
  linesMax = SILENCE_SWEEP_LINES_MAX,
): Promise<SilenceSweepReport> {
  if (!Number.isInteger(linesMax) || linesMax < 1 || linesMax > SILENCE_SWEEP_LINES_MAX)
    throw new RangeError(`linesMax must be 1..${SILENCE_SWEEP_LINES_MAX}, got ${linesMax}`);
  const [clockRow]: Array<{ clock: Date | null }> = await dataSource.query(
    `SELECT max(last_decided_at) AS clock FROM credit_lines`,
  );
  if (!clockRow?.clock) return { clock: null, decided: 0, closed: 0 };
  const clock = clockRow.clock.toISOString();
  const cutoff = new Date(clockRow.clock.getTime() - policies.live.close.afterSilenceDays * DAY_MS);
  // The version is read before the profile: a line written after that is left to the next sweep.
  const candidates: Array<{ merchant_id: string; version: string }> = await dataSource.query(
    `SELECT merchant_id, version::text AS version FROM credit_lines
     WHERE status <> 'CLOSED' AND last_decided_at <= $1
       AND (silence_checked_at IS NULL OR silence_checked_at < $2)
     ORDER BY last_decided_at LIMIT $3`,
    [cutoff, clock, linesMax],
  );
  let decided = 0;
  let closed = 0;
  for (const { merchant_id: merchantId, version } of candidates) {
    const profile = await profiles.readWindows(merchantId, new Date(clock));
    let outcome: UnderwritingOutcome;
    try {
      outcome = await dataSource.transaction(async (manager) => {
        const result = await underwriteInTransaction(
          manager,
          {
            merchantId,
            now: clock,
            profile,
            trigger: { kind: 'silence-sweep', source: `${UNDERWRITER_SOURCE}/silence-sweep`, id: clock },
            inboxEvents: [],
            lineVersionRead: version,
          },
          policies,
        );
        await manager.query(`UPDATE credit_lines SET silence_checked_at = $2 WHERE merchant_id = $1`, [
          merchantId,
          clock,
        ]);
        return result;
      });
    } catch (error) {
      // A signal decided the merchant (or lending wrote its line) meanwhile; the next sweep looks again.
      if (error instanceof DecisionTimeMovedError) continue;
      throw error;
    }
    if (outcome.kind !== 'decided') continue;
    decided += 1;
    if (outcome.event === 'credit-line.closed') closed += 1;
  }
  return { clock, decided, closed };
}
