/**
 * When the relay runs its next round, decided from how the last one went. Pure, so that
 * the pacing (drain a backlog at once, sleep when idle, back off on failures) is tested
 * with tables instead of clocks.
 */
import { backoffDelayMs, RetryPolicy } from './retry-policy';

export type RelayRoundOutcome =
  /** Published rows: there may be more (or more arrived meanwhile), so look again at once. */
  | { readonly kind: 'published'; readonly rowCount: number }
  /** Nothing pending in this relay's shards. */
  | { readonly kind: 'idle' }
  /** This relay holds no shard (others hold them all, or it is waiting out a conflict). */
  | { readonly kind: 'no-shards' }
  /** Kafka or Postgres failed; `consecutiveFailures` counts this one. */
  | { readonly kind: 'failed'; readonly consecutiveFailures: number };

export interface RelayPacing {
  readonly pollIntervalMs: number;
  readonly rebalanceIntervalMs: number;
  readonly retry: RetryPolicy;
}

export interface NextRound {
  readonly delayMs: number;
  /**
   * Whether an insert notification may cut the wait short. Never during a backoff: while Kafka
   * is down, every insert would otherwise trigger a doomed publish at once.
   */
  readonly wakeOnInsert: boolean;
}

export function nextRound(outcome: RelayRoundOutcome, pacing: RelayPacing, random: () => number): NextRound {
  switch (outcome.kind) {
    case 'published':
      return { delayMs: 0, wakeOnInsert: true };
    case 'idle':
      return { delayMs: pacing.pollIntervalMs, wakeOnInsert: true };
    case 'no-shards':
      // Nothing to publish until a rebalance hands this relay a shard.
      return { delayMs: pacing.rebalanceIntervalMs, wakeOnInsert: false };
    case 'failed':
      return {
        delayMs: backoffDelayMs(outcome.consecutiveFailures, pacing.retry, random),
        wakeOnInsert: false,
      };
  }
}
