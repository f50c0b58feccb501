import { PassThrough } from 'node:stream';
import { JsonLinesEventSink } from './json-lines-event-sink';

const message = (index: number) => ({
  topic: 'scf.orders.v1',
  key: `m-${index}`,
  value: `{"id":"${index}"}`,
  headers: { 'content-type': 'application/cloudevents+json' },
});

describe('JsonLinesEventSink', () => {
  it('writes one {topic,key,value} object per line, waiting for a full stream to drain', async () => {
    const output = new PassThrough({ highWaterMark: 64 });
    const sink = JsonLinesEventSink.to(output);
    const lines: string[] = [];
    output.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    for (let batch = 0; batch < 20; batch += 1) {
      await sink.publish([message(2 * batch), message(2 * batch + 1)]);
    }
    expect(lines).toHaveLength(40);
    expect(JSON.parse(lines[3])).toEqual({ topic: 'scf.orders.v1', key: 'm-3', value: '{"id":"3"}' });
  });

  it('throws a write error from the next call', async () => {
    const output = new PassThrough();
    const sink = JsonLinesEventSink.to(output);
    output.destroy(new Error('disk full'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(sink.publish([message(1)])).rejects.toThrow('disk full');
  });
});
