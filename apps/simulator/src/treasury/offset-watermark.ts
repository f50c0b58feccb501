/**
 * Which offset of a batch may be committed. Requests of one batch are confirmed in the order
 * their delays run out, not in offset order, and a failure to confirm one must leave it
 * uncommitted: so the batch's offsets are marked done one by one, and only the end of the
 * run of done offsets from the start of the batch is ever handed to Kafka to commit.
 */
export class OffsetWatermark {
  private readonly indexOf = new Map<string, number>();
  private readonly done: boolean[];
  /** How many offsets from the start of the batch are done. */
  private doneFromStart = 0;

  /** `offsets` in log order, as the batch holds them. */
  constructor(private readonly offsets: readonly string[]) {
    offsets.forEach((offset, index) => {
      if (this.indexOf.has(offset)) throw new RangeError(`offset ${offset} appears twice in one batch`);
      this.indexOf.set(offset, index);
    });
    this.done = offsets.map(() => false);
  }

  /**
   * Marks `offset` done; returns the last offset of the run of done offsets from the start of
   * the batch when it moved (what to resolve), or undefined when it did not.
   */
  complete(offset: string): string | undefined {
    const index = this.indexOf.get(offset);
    if (index === undefined) throw new RangeError(`offset ${offset} is not in this batch`);
    this.done[index] = true;
    const before = this.doneFromStart;
    while (this.doneFromStart < this.done.length && this.done[this.doneFromStart]) this.doneFromStart += 1;
    return this.doneFromStart > before ? this.offsets[this.doneFromStart - 1] : undefined;
  }

  /** The last offset that may be committed, or undefined while the first one is pending. */
  get committable(): string | undefined {
    return this.doneFromStart === 0 ? undefined : this.offsets[this.doneFromStart - 1];
  }

  get allDone(): boolean {
    return this.doneFromStart === this.offsets.length;
  }
}
