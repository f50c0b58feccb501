import fc from 'fast-check';
import { EventQueue, Scheduled } from './event-queue';

interface Entry extends Scheduled {
  readonly label: number;
}

describe('EventQueue', () => {
  it('pops by time, then in insertion order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const queue = new EventQueue<Entry>();
        times.forEach((atMs, label) => queue.push((seq) => ({ atMs, seq, label })));
        const popped: Entry[] = [];
        for (let entry = queue.pop(); entry !== undefined; entry = queue.pop()) popped.push(entry);
        const expected = times
          .map((atMs, label) => ({ atMs, label }))
          .sort((a, b) => a.atMs - b.atMs || a.label - b.label);
        return (
          queue.size === 0 &&
          JSON.stringify(popped.map(({ atMs, label }) => ({ atMs, label }))) === JSON.stringify(expected)
        );
      }),
    );
  });

  it('interleaves pushes and pops correctly', () => {
    const queue = new EventQueue<Entry>();
    queue.push((seq) => ({ atMs: 5, seq, label: 1 }));
    queue.push((seq) => ({ atMs: 1, seq, label: 2 }));
    expect(queue.pop()?.label).toBe(2);
    queue.push((seq) => ({ atMs: 5, seq, label: 3 }));
    queue.push((seq) => ({ atMs: 3, seq, label: 4 }));
    expect(queue.peek()?.label).toBe(4);
    expect([queue.pop(), queue.pop(), queue.pop()].map((entry) => entry?.label)).toEqual([4, 1, 3]);
    expect(queue.pop()).toBeUndefined();
  });
});
