/** Anything scheduled: due at `atMs`; `seq` breaks ties in insertion order, for determinism. */
export interface Scheduled {
  readonly atMs: number;
  readonly seq: number;
}

/**
 * A binary min-heap on (`atMs`, `seq`): the simulator's agenda. It holds one entry per
 * order in flight (the order's next step) plus pending warehouse events, never a whole
 * run, which is what keeps 500 merchants × 90 days in bounded memory.
 */
export class EventQueue<T extends Scheduled> {
  private readonly heap: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Adds an entry; `make` receives the sequence number that orders it among equal times. */
  push(make: (seq: number) => T): void {
    const entry = make(this.nextSeq);
    this.nextSeq += 1;
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last !== undefined) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private static before(a: Scheduled, b: Scheduled): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  // Both sifts move a "hole" instead of swapping pairs: half the writes, and no temporary
  // arrays (a destructuring swap allocates one), which matters at a million pops a run.
  private siftUp(start: number): void {
    const heap = this.heap;
    const entry = heap[start];
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!EventQueue.before(entry, heap[parent])) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = entry;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const length = heap.length;
    const entry = heap[start];
    let index = start;
    // Each pass moves one level down a tree of depth log2(length): the loop is bounded.
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && EventQueue.before(heap[right], heap[left]) ? right : left;
      if (!EventQueue.before(heap[child], entry)) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = entry;
  }
}
