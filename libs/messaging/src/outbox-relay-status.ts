/** What the relay reports to metrics and health checks. */

/** The outbox's pending rows, all shards together. */
export interface OutboxBacklog {
  /** Rows not yet published; exact up to `pendingCountCapped`'s cap. */
  readonly pendingCount: number;
  /** True when there are at least `pendingCount` pending rows (the count stopped at its cap). */
  readonly pendingCountCapped: boolean;
  /** Age of the oldest pending row by the database's clock, in ms; 0 when none is pending. */
  readonly oldestPendingAgeMs: number;
}

export type OutboxRelayState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface OutboxRelayStatus {
  readonly state: OutboxRelayState;
  /** The shards this relay publishes, ascending. */
  readonly heldShards: readonly number[];
  /** Rows this relay published and marked sent since it started. */
  readonly publishedRows: number;
  /** Rounds that failed (Kafka or Postgres) since it started. */
  readonly failedRounds: number;
  /** Failed rounds since the last one that succeeded; 0 when healthy. */
  readonly consecutiveFailures: number;
  readonly lastError: string | undefined;
  /** Sessions the relay opened: 1 after start, one more after each lost session. */
  readonly sessionsOpened: number;
}
