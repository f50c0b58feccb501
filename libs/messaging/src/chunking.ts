/**
 * Splitting work into bounded pieces: consumed records into handler batches, dead letters
 * and outgoing messages into produce requests that a broker accepts.
 */

/** Consecutive runs of at most `maxChunkSize` items, in order. */
export function chunkByCount<T>(items: readonly T[], maxChunkSize: number): T[][] {
  assertPositiveInteger(maxChunkSize, 'maxChunkSize');
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += maxChunkSize) {
    chunks.push(items.slice(start, start + maxChunkSize));
  }
  return chunks;
}

export interface CountAndBytesLimits<T> {
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly sizeOf: (item: T) => number;
}

/**
 * Consecutive runs, in order, each holding at most `maxCount` items whose sizes add up to
 * at most `maxBytes`. An item larger than `maxBytes` on its own travels alone: whether it
 * fits is the broker's call (its limit is configured there), and it answers with an error.
 */
export function chunkByCountAndBytes<T>(items: readonly T[], limits: CountAndBytesLimits<T>): T[][] {
  assertPositiveInteger(limits.maxCount, 'maxCount');
  assertPositiveInteger(limits.maxBytes, 'maxBytes');
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = limits.sizeOf(item);
    const full = current.length >= limits.maxCount || currentBytes + bytes > limits.maxBytes;
    if (current.length > 0 && full) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a whole number >= 1, got ${value}`);
}
