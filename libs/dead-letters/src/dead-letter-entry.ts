import { DeadLetterHeaders, MAX_EVENT_BYTES } from '@lendstream/contracts';
import type { MessageHeaders } from '@lendstream/messaging';

/** The original value kept in the index: a prefix of this many bytes (the topic holds the whole record). */
export const DEAD_LETTER_PAYLOAD_MAX_BYTES = 8 * 1024;
/** Longest `dlq-error` kept; the transport writes at most 1024 characters, others may not. */
export const DEAD_LETTER_ERROR_MAX_LENGTH = 1024;
/** The reason of a dead letter whose `dlq-reason` header is missing or not a code. */
export const UNKNOWN_DEAD_LETTER_REASON = 'UNKNOWN_REASON';

const REASON_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
const TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
const SERVICE_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const PARTITION_PATTERN = /^\d{1,9}$/;
const OFFSET_PATTERN = /^\d{1,19}$/;
const INT64_MAX = 9_223_372_036_854_775_807n;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ATTRIBUTE_MAX_LENGTH = 255;

/** A record as read from the dead-letter topic, free of any Kafka client's types. */
export interface DeadLetterRecord {
  /** The dead-letter topic as named on the broker (namespaced or not). */
  readonly topic: string;
  readonly partition: number;
  /** int64 as a decimal string. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: MessageHeaders;
  /** The record's Kafka timestamp, milliseconds since the epoch as a decimal string. */
  readonly timestamp?: string;
}

/** One row of the dead-letter index: what an operator needs to see and filter, and no more. */
export interface DeadLetterEntry {
  readonly dlqTopic: string;
  readonly dlqPartition: number;
  readonly dlqOffset: string;
  /** The `dlq-reason` code, or UNKNOWN_REASON. */
  readonly reason: string;
  readonly error: string | null;
  readonly sourceTopic: string | null;
  readonly sourcePartition: number | null;
  readonly sourceOffset: string | null;
  readonly service: string | null;
  readonly messageKey: string | null;
  /** The CloudEvent `id` and `type`, when the value is a JSON object that has them as strings. */
  readonly eventId: string | null;
  readonly eventType: string | null;
  /** A prefix of the value as UTF-8 text (invalid bytes and NULs replaced), null when there is no value. */
  readonly payload: string | null;
  /** The whole value's size. */
  readonly payloadBytes: number;
  readonly payloadTruncated: boolean;
  /** `dlq-at`, else the record's timestamp, else when it was indexed. */
  readonly deadLetteredAt: Date;
}

/**
 * Reads a dead-letter record into an index entry. Total: whatever the bytes and headers (a
 * record produced by hand, a header missing or garbled, a binary value of megabytes), the
 * answer is an entry, so one malformed dead letter can never stall the indexer. Fields that
 * cannot be read are null; an unreadable reason is UNKNOWN_REASON.
 */
export function readDeadLetter(record: DeadLetterRecord, indexedAt: Date): DeadLetterEntry {
  const header = (name: string, maxLength: number) => headerText(record.headers, name, maxLength);
  const reason = header(DeadLetterHeaders.reason, 64);
  const sourcePartition = header(DeadLetterHeaders.sourcePartition, 9);
  const sourceOffset = header(DeadLetterHeaders.sourceOffset, 19);
  const sourceTopic = header(DeadLetterHeaders.sourceTopic, 249);
  const service = header(DeadLetterHeaders.service, 128);
  const error = headerText(record.headers, DeadLetterHeaders.error, Number.POSITIVE_INFINITY);
  const value = record.value;
  const { eventId, eventType } = readEventAttributes(value);
  const payload = value === null ? null : boundedText(value, DEAD_LETTER_PAYLOAD_MAX_BYTES);
  return {
    dlqTopic: record.topic,
    dlqPartition: record.partition,
    dlqOffset: record.offset,
    reason: reason !== null && REASON_PATTERN.test(reason) ? reason : UNKNOWN_DEAD_LETTER_REASON,
    error: error === null ? null : cutToLength(error, DEAD_LETTER_ERROR_MAX_LENGTH),
    sourceTopic: sourceTopic !== null && TOPIC_PATTERN.test(sourceTopic) ? sourceTopic : null,
    sourcePartition:
      sourcePartition !== null && PARTITION_PATTERN.test(sourcePartition) ? Number(sourcePartition) : null,
    sourceOffset:
      sourceOffset !== null && isInt64Offset(sourceOffset) ? BigInt(sourceOffset).toString() : null,
    service: service !== null && SERVICE_PATTERN.test(service) ? service : null,
    messageKey: record.key === null ? null : cutToLength(boundedText(record.key, 1024), ATTRIBUTE_MAX_LENGTH),
    eventId,
    eventType,
    payload,
    payloadBytes: value?.length ?? 0,
    payloadTruncated: value !== null && value.length > DEAD_LETTER_PAYLOAD_MAX_BYTES,
    deadLetteredAt: instantOf(header(DeadLetterHeaders.at, 64)) ?? timestampOf(record.timestamp) ?? indexedAt,
  };
}

/** A header's last value as trimmed UTF-8 text; null when absent, empty or longer than `maxLength`. */
function headerText(headers: MessageHeaders | undefined, name: string, maxLength: number): string | null {
  const raw = headers?.[name];
  if (raw === undefined) return null;
  const last = Array.isArray(raw) ? raw.at(-1) : (raw as Buffer | string);
  if (last === undefined) return null;
  const text = (typeof last === 'string' ? last : boundedText(last, 4096)).trim();
  if (text === '' || text.length > maxLength) return null;
  return text;
}

/** The first `maxBytes` of `bytes` as text, cut on a character boundary, NUL (which Postgres text refuses) replaced. */
export function boundedText(bytes: Buffer, maxBytes: number): string {
  let end = Math.min(bytes.length, maxBytes);
  // Back off to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx), so no character is split.
  if (end < bytes.length) while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

function cutToLength(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

function isInt64Offset(text: string): boolean {
  return OFFSET_PATTERN.test(text) && BigInt(text) <= INT64_MAX;
}

function instantOf(text: string | null): Date | null {
  if (text === null || !ISO_INSTANT.test(text)) return null;
  const milliseconds = Date.parse(text);
  return Number.isNaN(milliseconds) ? null : new Date(milliseconds);
}

function timestampOf(text: string | undefined): Date | null {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null;
  const milliseconds = Number(text);
  return milliseconds > 0 ? new Date(milliseconds) : null;
}

/**
 * The CloudEvent `id` and `type` of a value that is a JSON object holding them as strings.
 * Values over the contract's size limit are not parsed (they were dead-lettered for their size,
 * and parsing megabytes would cost the indexer more than the attributes are worth).
 */
function readEventAttributes(value: Buffer | null): { eventId: string | null; eventType: string | null } {
  const none = { eventId: null, eventType: null };
  if (value === null || value.length === 0 || value.length > MAX_EVENT_BYTES) return none;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return none;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return none;
  const { id, type } = parsed as { id?: unknown; type?: unknown };
  return { eventId: attribute(id), eventType: attribute(type) };
}

function attribute(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replaceAll('\u0000', '\uFFFD');
  return text.length >= 1 && text.length <= ATTRIBUTE_MAX_LENGTH ? text : null;
}
