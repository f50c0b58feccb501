import { EventSink, OutgoingMessage } from './event-sink';

/**
 * Keeps every batch in memory: for tests, and for benchmarks that want to time generation
 * and encoding without a broker. `failOnBatch` makes the n-th publish (1-based) reject.
 */
export class RecordingEventSink implements EventSink {
  readonly batches: OutgoingMessage[][] = [];

  constructor(private readonly failOnBatch?: number) {}

  get messages(): OutgoingMessage[] {
    return this.batches.flat();
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    if (this.batches.length + 1 === this.failOnBatch) throw new Error('broker unavailable');
    this.batches.push([...batch]);
  }
}
