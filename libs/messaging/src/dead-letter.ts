import { ContractViolation, DeadLetterHeaders } from '@lendstream/contracts';
import { truncate } from './describe-error';
import type {
  ConsumedRecord,
  HeaderValue,
  MessageHeaders,
  OutboundMessage,
  RecordPosition,
} from './kafka-record';

/** `dlq-error` is for people; a stack-sized message helps nobody and bloats the topic. */
export const MAX_DEAD_LETTER_ERROR_LENGTH = 1024;

/** A record bound for the dead-letter topic, and where it came from (for logs). */
export interface DeadLetter {
  readonly message: OutboundMessage;
  readonly source: RecordPosition;
  readonly violation: ContractViolation;
}

/**
 * The `dlq-error` text: the violation's message, naming the offending field. The decoder's
 * schema messages already start with the field; its other messages do not, so it is added.
 */
export function describeViolation(violation: ContractViolation): string {
  const { field, message } = violation;
  const text = field === undefined || message.startsWith(`${field}:`) ? message : `${field}: ${message}`;
  return truncate(text, MAX_DEAD_LETTER_ERROR_LENGTH);
}

export interface DeadLetterHeadersInput {
  readonly originalHeaders?: MessageHeaders;
  readonly violation: ContractViolation;
  readonly source: RecordPosition;
  readonly serviceName: string;
  readonly at: Date;
}

/**
 * The original headers, untouched, plus the `dlq-*` headers of CONTRACT.md. A record that is
 * dead-lettered a second time (replayed from the DLQ, still bad) gets fresh `dlq-*` values:
 * they describe the latest failure.
 */
export function buildDeadLetterHeaders(input: DeadLetterHeadersInput): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(input.originalHeaders ?? {})) {
    if (value !== undefined) headers[name] = value;
  }
  headers[DeadLetterHeaders.reason] = input.violation.reason;
  headers[DeadLetterHeaders.error] = describeViolation(input.violation);
  headers[DeadLetterHeaders.sourceTopic] = input.source.topic;
  headers[DeadLetterHeaders.sourcePartition] = String(input.source.partition);
  headers[DeadLetterHeaders.sourceOffset] = input.source.offset;
  headers[DeadLetterHeaders.service] = input.serviceName;
  headers[DeadLetterHeaders.at] = input.at.toISOString();
  return headers;
}

/** The dead letter for a consumed record: its key and value byte for byte, its headers plus ours. */
export function buildDeadLetter(
  record: ConsumedRecord,
  source: RecordPosition,
  violation: ContractViolation,
  serviceName: string,
  at: Date,
): DeadLetter {
  const headers = buildDeadLetterHeaders({
    originalHeaders: record.headers,
    violation,
    source,
    serviceName,
    at,
  });
  return { message: { key: record.key, value: record.value, headers }, source, violation };
}
