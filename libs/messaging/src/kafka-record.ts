/**
 * The shapes of Kafka records as the pure core sees them, written out here so that the core
 * does not depend on one client library's types (kafkajs today, maybe librdkafka tomorrow).
 */
export type HeaderValue = Buffer | string | readonly (Buffer | string)[];

export type MessageHeaders = Readonly<Record<string, HeaderValue | undefined>>;

/** A record as consumed: the bytes exactly as they sit in the log. */
export interface ConsumedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** int64 as a decimal string. */
  readonly offset: string;
  readonly headers?: MessageHeaders;
}

/** Where a record sits in the log. */
export interface RecordPosition {
  /** The topic as named on the broker (namespaced, when the deployment uses a namespace). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A record to produce. */
export interface OutboundMessage {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: MessageHeaders;
}

/** Where a produced batch of records landed: its first record's partition and offset. */
export interface PublishReceipt {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the first record of the batch on that partition; int64 as a decimal string. */
  readonly baseOffset: string;
}

const RECORD_OVERHEAD_BYTES = 64;

/** An upper estimate of a record's size on the wire, to keep produce requests under the broker's limit. */
export function estimateRecordBytes(message: OutboundMessage): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value as Buffer | string];
    for (const single of values) bytes += Buffer.byteLength(name) + byteLength(single) + 8;
  }
  return bytes;
}

function byteLength(value: Buffer | string | null): number {
  if (value === null) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
