import { createEvent, type CloudEvent } from '@lendstream/contracts';
import { CoalescingUnderwriter, outcomesPerCall, type TriggerUnderwriter } from './coalescing-underwriter';
import type { UnderwritingOutcome } from './underwrite-merchant';
import { groupSignalsByMerchant, SIGNALS_PER_CALL_MAX, type DecisionTriggerEvent } from './underwriting-service';

let sequence = 0;
const signal = (merchantId: string, asOf = '2026-05-02T00:00:00.000Z') =>
  createEvent({
    type: 'profile.changed',
    id: `s-${(sequence += 1)}`,
    source: '/lendstream/profiler',
    time: asOf,
    data: { merchantId, asOf },
  }) as CloudEvent<'profile.changed'>;

/** Answers as UnderwritingService does (one outcome per merchant, in grouping order), naming the merchant and the newest trigger. */
const decidedAs = (triggers: readonly DecisionTriggerEvent[]): UnderwritingOutcome[] =>
  groupSignalsByMerchant(triggers).map(({ merchantId, newest }) => ({
    kind: 'already-decided',
    decisionId: `${merchantId}@${newest.id}`,
  }));

/** Records each call it gets; each answer waits until the test releases it. */
class RecordingUnderwriter implements TriggerUnderwriter {
  readonly calls: DecisionTriggerEvent[][] = [];
  private readonly releases: Array<(fail?: Error) => void> = [];

  underwriteSignals(triggers: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]> {
    this.calls.push([...triggers]);
    return new Promise((resolve, reject) =>
      this.releases.push((fail) => (fail === undefined ? resolve(decidedAs(triggers)) : reject(fail))),
    );
  }

  /** Lets the oldest call in flight answer (or fail), once it has been made. */
  async release(fail?: Error): Promise<void> {
    while (this.releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    this.releases.shift()!(fail);
  }
}

const idsOf = (outcomes: readonly UnderwritingOutcome[]) =>
  outcomes.map((outcome) => (outcome.kind === 'already-decided' ? outcome.decisionId : outcome.kind));

describe('CoalescingUnderwriter', () => {
  it('decides the calls of one turn of the event loop as one, and answers each with its own merchants in its own order', async () => {
    const underwriter = new RecordingUnderwriter();
    const coalescing = new CoalescingUnderwriter(underwriter);
    const [a1, b1, a2, c1] = [signal('m-a'), signal('m-b'), signal('m-a'), signal('m-c')];
    const first = coalescing.underwriteSignals([b1, a1]);
    const second = coalescing.underwriteSignals([a2, c1]);
    await underwriter.release();
    expect(underwriter.calls).toEqual([[b1, a1, a2, c1]]);
    // m-a is in both calls: decided once, as of its newest trigger, and both get that outcome.
    expect(idsOf(await first)).toEqual([`m-b@${b1.id}`, `m-a@${a2.id}`]);
    expect(idsOf(await second)).toEqual([`m-a@${a2.id}`, `m-c@${c1.id}`]);
  });

  it('runs one at a time: calls made during a run wait for it, then go together into the next', async () => {
    const underwriter = new RecordingUnderwriter();
    const coalescing = new CoalescingUnderwriter(underwriter);
    const first = coalescing.underwriteSignals([signal('m-a')]);
    await new Promise((resolve) => setImmediate(resolve)); // the first run has started
    const second = coalescing.underwriteSignals([signal('m-b')]);
    const third = coalescing.underwriteSignals([signal('m-c')]);
    expect(underwriter.calls).toHaveLength(1);
    await underwriter.release();
    await first;
    await underwriter.release();
    expect(idsOf(await second)).toHaveLength(1);
    expect(idsOf(await third)).toHaveLength(1);
    expect(underwriter.calls.map((call) => call.map((trigger) => trigger.data.merchantId))).toEqual([
      ['m-a'],
      ['m-b', 'm-c'],
    ]);
  });

  it('fails every call of a failed run, and the next run goes on', async () => {
    const underwriter = new RecordingUnderwriter();
    const coalescing = new CoalescingUnderwriter(underwriter);
    const failing = [coalescing.underwriteSignals([signal('m-a')]), coalescing.underwriteSignals([signal('m-b')])];
    await underwriter.release(new Error('Postgres went away'));
    for (const call of failing) await expect(call).rejects.toThrow('Postgres went away');
    const retried = coalescing.underwriteSignals([signal('m-a')]);
    await underwriter.release();
    expect(idsOf(await retried)).toHaveLength(1);
  });

  it(`puts at most ${SIGNALS_PER_CALL_MAX} triggers in a run (whole calls)`, async () => {
    const underwriter = new RecordingUnderwriter();
    const coalescing = new CoalescingUnderwriter(underwriter);
    const big = Array.from({ length: SIGNALS_PER_CALL_MAX - 1 }, (_, index) => signal(`m-${index % 500}`));
    const calls = [coalescing.underwriteSignals(big), coalescing.underwriteSignals([signal('m-x'), signal('m-y')])];
    await underwriter.release();
    await underwriter.release();
    await Promise.all(calls);
    expect(underwriter.calls.map((call) => call.length)).toEqual([SIGNALS_PER_CALL_MAX - 1, 2]);
  });

  it('answers an empty call at once, without a run', async () => {
    const underwriter = new RecordingUnderwriter();
    await expect(new CoalescingUnderwriter(underwriter).underwriteSignals([])).resolves.toEqual([]);
    expect(underwriter.calls).toHaveLength(0);
  });
});

describe('outcomesPerCall', () => {
  const [a, b, c] = [signal('m-a'), signal('m-b'), signal('m-c')];
  it.each([
    ['one call', [[a, b]], [`m-a@${a.id}`, `m-b@${b.id}`]],
    ['two calls sharing nothing', [[a], [b, c]], [`m-a@${a.id}`], [`m-b@${b.id}`, `m-c@${c.id}`]],
    ['a merchant in both calls', [[b, a], [a]], [`m-b@${b.id}`, `m-a@${a.id}`], [`m-a@${a.id}`]],
  ])('%s', (_, calls, ...expected) => {
    const split = outcomesPerCall(calls, decidedAs(calls.flat()));
    expect(split.map(idsOf)).toEqual(expected);
  });

  it('refuses outcomes that do not match the merchants', () => {
    expect(() => outcomesPerCall([[a, b]], decidedAs([a]))).toThrow('1 outcomes for 2 merchants');
  });
});
