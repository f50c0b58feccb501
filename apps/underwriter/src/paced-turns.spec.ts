import { PacedTurns } from './paced-turns';

/** Records when each turn starts and ends, and asks for the delays it is given. */
class RecordingLane extends PacedTurns {
  readonly log: string[] = [];
  private release: (() => void) | undefined;

  constructor(
    private readonly delays: number[],
    private readonly holdTurns = false,
  ) {
    super();
  }

  begin(delayMs: number): void {
    this.start(delayMs);
  }

  /** Ends the turn in flight (with `holdTurns`). */
  finishTurn(): void {
    this.release?.();
  }

  protected async turn(): Promise<number> {
    this.log.push(`start@${Date.now()}`);
    if (this.holdTurns) await new Promise<void>((resolve) => (this.release = resolve));
    this.log.push(`end@${Date.now()}`);
    return this.delays.shift() ?? 1_000_000;
  }
}

describe('PacedTurns', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('waits the first delay, then after each turn the delay that turn asked for', async () => {
    const lane = new RecordingLane([50, 0, 200]);
    lane.begin(100);
    await jest.advanceTimersByTimeAsync(99);
    expect(lane.log).toEqual([]);
    // A delay of 0 is a timer of 1 ms (Node's floor).
    await jest.advanceTimersByTimeAsync(1 + 50 + 1 + 200);
    expect(lane.log).toEqual([
      'start@100',
      'end@100',
      'start@150',
      'end@150',
      'start@151',
      'end@151',
      'start@351',
      'end@351',
    ]);
    await lane.beforeApplicationShutdown();
  });

  it('never overlaps a slow turn, and counts the delay from its end', async () => {
    const lane = new RecordingLane([10], true);
    lane.begin(10);
    await jest.advanceTimersByTimeAsync(500);
    expect(lane.log).toEqual(['start@10']);
    lane.finishTurn();
    await jest.advanceTimersByTimeAsync(9);
    expect(lane.log).toEqual(['start@10', 'end@500']);
    await jest.advanceTimersByTimeAsync(1);
    expect(lane.log).toEqual(['start@10', 'end@500', 'start@510']);
    lane.finishTurn();
    await lane.beforeApplicationShutdown();
  });

  it('on shutdown, awaits the turn in flight and starts no other', async () => {
    const lane = new RecordingLane([10, 10], true);
    lane.begin(10);
    await jest.advanceTimersByTimeAsync(10);
    let stopped = false;
    const stopping = lane.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    lane.finishTurn();
    await stopping;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(lane.log).toEqual(['start@10', 'end@110']);
  });
});
