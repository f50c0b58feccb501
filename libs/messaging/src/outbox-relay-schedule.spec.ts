import { nextRound, RelayPacing, RelayRoundOutcome } from './outbox-relay-schedule';

const pacing: RelayPacing = {
  pollIntervalMs: 250,
  rebalanceIntervalMs: 1_000,
  retry: { initialDelayMs: 100, backoffFactor: 2, maxDelayMs: 10_000, jitterRatio: 0 },
};
const noJitter = () => 0;

describe('nextRound', () => {
  it.each<[string, RelayRoundOutcome, number, boolean]>([
    [
      'after publishing, looks again at once (a backlog drains without sleeping)',
      { kind: 'published', rowCount: 500 },
      0,
      true,
    ],
    [
      'after publishing a few, looks again at once too (more may have come meanwhile)',
      { kind: 'published', rowCount: 1 },
      0,
      true,
    ],
    ['when idle, sleeps a poll interval, or until an insert is notified', { kind: 'idle' }, 250, true],
    [
      'without shards, waits for the next rebalance; inserts cannot help',
      { kind: 'no-shards' },
      1_000,
      false,
    ],
    [
      'after a first failure, backs off 100 ms, deaf to inserts',
      { kind: 'failed', consecutiveFailures: 1 },
      100,
      false,
    ],
    ['after a fourth, 800 ms', { kind: 'failed', consecutiveFailures: 4 }, 800, false],
    ['after many, the 10 s cap', { kind: 'failed', consecutiveFailures: 60 }, 10_000, false],
  ])('%s', (_case, outcome, delayMs, wakeOnInsert) => {
    expect(nextRound(outcome, pacing, noJitter)).toEqual({ delayMs, wakeOnInsert });
  });

  it('jitters a backoff downwards only, so replicas hit by one outage do not retry in lockstep', () => {
    const jittered = { ...pacing, retry: { ...pacing.retry, jitterRatio: 0.2 } };
    expect(nextRound({ kind: 'failed', consecutiveFailures: 2 }, jittered, () => 0.5).delayMs).toBe(180);
  });
});
