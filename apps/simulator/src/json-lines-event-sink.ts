import { createWriteStream, openSync } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { EventSink, OutgoingMessage } from './event-sink';

/**
 * Writes one JSON object per line, `{"topic","key","value"}` with `value` the encoded
 * CloudEvent as a string, for kcat (`jq -r .value | kcat -P ...`) and other tools. Waits
 * for the stream to drain when it is full, so a slow disk or pipe slows the simulator down
 * instead of filling memory.
 */
export class JsonLinesEventSink implements EventSink {
  /** A write error arrives as an event; it is kept and thrown from the next call. */
  private failure: Error | undefined;

  private constructor(
    private readonly output: Writable,
    private readonly ownsOutput: boolean,
  ) {
    output.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /**
   * Writes to a file (created or truncated), or to stdout for `-`. The file is opened at
   * once, so a bad path fails here rather than mid-run.
   */
  static open(path: string): JsonLinesEventSink {
    if (path === '-') return new JsonLinesEventSink(process.stdout, false);
    const fd = openSync(path, 'w');
    return new JsonLinesEventSink(createWriteStream(path, { fd, encoding: 'utf8' }), true);
  }

  /** Writes to a stream the caller owns (and closes). */
  static to(output: Writable): JsonLinesEventSink {
    return new JsonLinesEventSink(output, false);
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    this.throwIfFailed();
    let chunk = '';
    for (const { topic, key, value } of batch) chunk += `${JSON.stringify({ topic, key, value })}\n`;
    if (!this.output.write(chunk)) await once(this.output, 'drain');
    this.throwIfFailed();
  }

  /** Flushes and closes a file; leaves stdout and caller-owned streams open. */
  async close(): Promise<void> {
    if (this.ownsOutput) {
      this.output.end();
      await once(this.output, 'finish');
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
