/** The chaos run's sizes: CI's (part of `npm test`, a few minutes) and the full run's (`--full`). */

export type FaultKind =
  | 'crash'
  | 'accrual-kill'
  | 'hostile-input'
  | 'redelivery'
  | 'hostile-rest'
  | 'redis-flush'
  | 'postgres-restart'
  | 'kafka-restart'
  | 'rebalance';
export const FAULT_KINDS: readonly FaultKind[] = [
  'crash',
  'accrual-kill',
  'hostile-input',
  'redelivery',
  'hostile-rest',
  'redis-flush',
  'postgres-restart',
  'kafka-restart',
  'rebalance',
];

export interface ChaosSizes {
  readonly seed: string;
  readonly seedNumber: number;
  readonly merchants: number;
  /** Market days: at least 31, since lines (and so drawdowns) exist only after the policy's tenure. */
  readonly days: number;
  /** Wall-clock time per market day: the load's pace, which the kills are spread over. */
  readonly dayPaceMs: number;
  readonly killsPerService: number;
  /** A kill lands this long after the previous restart (uniformly at random). */
  readonly killUptimeMsMin: number;
  readonly killUptimeMsMax: number;
  readonly hostileMessages: number;
  readonly hostileRequests: number;
  /**
   * SIGKILLs of lending while its daily review (interest accrual, overdue, write-off) is in
   * flight on the simulated calendar, one on each of this many market days.
   */
  readonly accrualKills: number;
  /** Postgres outages during lending: the run's database refuses connections and drops every session. */
  readonly postgresOutages: number;
  readonly postgresOutageMs: number;
  /**
   * Restarts of the whole Postgres server during lending (`pg_ctlcluster … stop -m fast`, down
   * this long under load, then started), when it is a local cluster this machine's
   * pg_ctlcluster runs; otherwise reported as not run (see ChaosRun.postgresServerRestart).
   */
  readonly postgresServerRestarts: number;
  readonly postgresServerDownMs: number;
  /** Restarts of the Kafka broker during lending (only when it is this checkout's own: see ChaosRun.kafkaRestart). */
  readonly kafkaRestarts: number;
  /** A second instance of each consumer joins its group and leaves again, this many times. */
  readonly rebalancesPerService: number;
  readonly settleTimeoutMs: number;
  readonly echoServices: boolean;
}

export const CI_SIZES: ChaosSizes = {
  seed: 'lendstream-chaos',
  seedNumber: 20_261_128,
  merchants: 40,
  days: 40,
  dayPaceMs: 1_500,
  killsPerService: 10,
  killUptimeMsMin: 500,
  killUptimeMsMax: 4_000,
  hostileMessages: 10_000,
  hostileRequests: 600,
  accrualKills: 4,
  postgresOutages: 2,
  postgresOutageMs: 4_000,
  postgresServerRestarts: 1,
  postgresServerDownMs: 2_500,
  kafkaRestarts: 1,
  rebalancesPerService: 4,
  settleTimeoutMs: 240_000,
  echoServices: false,
};

export const FULL_SIZES: ChaosSizes = {
  ...CI_SIZES,
  merchants: 120,
  days: 60,
  dayPaceMs: 15_000,
  killsPerService: 100,
  killUptimeMsMin: 1_000,
  killUptimeMsMax: 6_000,
  hostileMessages: 30_000,
  hostileRequests: 5_000,
  accrualKills: 20,
  postgresOutages: 6,
  postgresOutageMs: 8_000,
  postgresServerRestarts: 2,
  postgresServerDownMs: 5_000,
  kafkaRestarts: 3,
  rebalancesPerService: 20,
  settleTimeoutMs: 600_000,
};

/** `--only crash,hostile-input`: the faults named, each known; none named: all of them. */
export function selectFaults(only: string | undefined): Set<FaultKind> {
  if (only === undefined || only.trim() === '') return new Set(FAULT_KINDS);
  const named = only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = named.filter((name) => !FAULT_KINDS.includes(name as FaultKind));
  if (unknown.length > 0)
    throw new Error(`--only: unknown fault ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  return new Set(named as FaultKind[]);
}
