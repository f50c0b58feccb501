import { decodeEvent, encodeEvent } from '@lendstream/contracts';
import { MarketConfig, simulateMarket } from '@lendstream/simulation';
import { MAX_BATCH_SIZE } from './event-sink';
import { Clock } from './pacer';
import { publishMarket } from './publish-market';
import { RecordingEventSink } from './recording-event-sink';

const market: MarketConfig = { seed: 'publish', merchants: 6, days: 12, start: '2026-08-01' };
const expected = [...simulateMarket(market)];

/** A clock that only moves when the code under test sleeps. */
class FakeClock implements Clock {
  nowMs = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.nowMs;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.nowMs += ms;
  }
}

describe('publishMarket', () => {
  it('publishes the whole market in order, in batches of at most 500, as structured CloudEvents', async () => {
    const sink = new RecordingEventSink();
    const summary = await publishMarket(market, sink);

    expect(sink.batches.length).toBe(Math.ceil(expected.length / MAX_BATCH_SIZE));
    expect(sink.batches.every((batch) => batch.length <= MAX_BATCH_SIZE)).toBe(true);
    expect(sink.messages.map(({ topic, key, value }) => ({ topic, key, value }))).toEqual(
      expected.map(({ topic, key, event }) => ({ topic, key, value: encodeEvent(event) })),
    );
    for (const message of sink.messages) {
      expect(message.headers).toEqual({ 'content-type': 'application/cloudevents+json' });
      expect(decodeEvent(message).ok).toBe(true);
    }
    expect(summary).toMatchObject({ published: expected.length, aborted: false });
  });

  it('counts per topic and per type exactly what was published', async () => {
    const summary = await publishMarket(market, new RecordingEventSink());
    const count = (name: (event: (typeof expected)[number]) => string) =>
      expected.reduce<Record<string, number>>((counts, event) => {
        counts[name(event)] = (counts[name(event)] ?? 0) + 1;
        return counts;
      }, {});
    expect(summary.byTopic).toEqual(count(({ topic }) => topic));
    expect(summary.byType).toEqual(count(({ event }) => event.type));
  });

  it('publishes to namespaced topics when asked', async () => {
    const sink = new RecordingEventSink();
    const summary = await publishMarket(market, sink, { topicNamespace: 'bench-7', batchSize: 100 });
    expect(new Set(sink.messages.map((message) => message.topic))).toEqual(
      new Set(['bench-7.scf.orders.v1', 'bench-7.scf.warehouse.v1', 'bench-7.scf.logistics.v1']),
    );
    expect(Object.keys(summary.byTopic).every((topic) => topic.startsWith('bench-7.'))).toBe(true);
    expect(sink.batches.every((batch) => batch.length <= 100)).toBe(true);
  });

  it.each([
    [1_000, 100],
    [20, 2],
    [1, 1],
  ])('paces %p events/s in batches of %p, taking the time the rate implies', async (rate, batchSize) => {
    const clock = new FakeClock();
    const small = { ...market, merchants: 1, days: 3 };
    const total = [...simulateMarket(small)].length;
    const sink = new RecordingEventSink();
    const summary = await publishMarket(small, sink, { rate, clock });
    expect(sink.batches[0].length).toBe(Math.min(batchSize, total));
    // The last batch goes out when the events before it are due.
    const lastBatchStart = total - sink.batches[sink.batches.length - 1].length;
    expect(summary.elapsedMs).toBeCloseTo((lastBatchStart / rate) * 1_000, 6);
  });

  it('stops between batches when aborted, and says so', async () => {
    const controller = new AbortController();
    const sink = new RecordingEventSink();
    const summary = await publishMarket(market, sink, {
      batchSize: 50,
      signal: controller.signal,
      onProgress: (published) => {
        if (published >= 200) controller.abort();
      },
    });
    expect(summary).toMatchObject({ published: 200, aborted: true });
    expect(sink.messages).toHaveLength(200);
  });

  it('fails when the sink fails, having counted nothing it did not acknowledge', async () => {
    const progress: number[] = [];
    await expect(
      publishMarket(market, new RecordingEventSink(3), {
        batchSize: 10,
        onProgress: (n) => progress.push(n),
      }),
    ).rejects.toThrow('broker unavailable');
    expect(progress).toEqual([10, 20]);
  });

  it.each([0, 501, 1.5])('refuses a batch size of %p', async (batchSize) => {
    await expect(publishMarket(market, new RecordingEventSink(), { batchSize })).rejects.toThrow(RangeError);
  });

  it('refuses a negative rate', async () => {
    await expect(publishMarket(market, new RecordingEventSink(), { rate: -1 })).rejects.toThrow(RangeError);
  });
});
