import { z } from 'zod';
import { ContractViolation, DeadLetterReason } from './dead-letter-reason';
import { AnyCloudEvent, CloudEvent, EVENT_CATALOG, EventData, EventType, isEventType } from './events';
import { err, ok, Result } from './result';
import { parseDataFast } from './data-parsers';
import { isTimestamp } from './primitive-checks';
import { Timestamp } from './schema-primitives';
import { isTopicOf } from './topics';
import { formatAmountMinor } from './money';

/** The contract's cap on one message's value. */
export const MAX_EVENT_BYTES = 64 * 1024;
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
/** The only `datacontenttype` the contract allows (it may also be left out). */
const CONTENT_TYPE_JSON = 'application/json';

interface Envelope {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype?: 'application/json';
  /** The raw data until it is parsed, then the parsed data (set in place, see decodeEvent). */
  data: unknown;
}

const ENVELOPE_STRINGS: ReadonlyArray<readonly [keyof Envelope, number]> = [
  ['id', 256],
  ['source', 256],
  ['type', 128],
  ['subject', 64],
];

/** Why `time` is not a timestamp: the schema's words, or null when the schema accepts it after all. */
function timeProblem(time: unknown): string | null {
  const checked = Timestamp.safeParse(time);
  return checked.success ? null : checked.error.issues[0]!.message;
}

/**
 * The CloudEvents envelope, checked by hand rather than with zod: it is the same for every
 * message on the hot path of every consumer, and this is about five times cheaper. Returns
 * the violation, or null when `value` is an envelope.
 */
function envelopeViolation(value: unknown): Result<never, ContractViolation> | null {
  const notCloudEvent = (message: string, field?: string) =>
    violation(DeadLetterReason.NOT_CLOUDEVENT, message, field);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return notCloudEvent('value: a CloudEvent is a JSON object');
  }
  const candidate = value as Record<string, unknown>;
  if (candidate.specversion !== '1.0') return notCloudEvent('specversion: must be "1.0"', 'specversion');
  for (const [field, maxLength] of ENVELOPE_STRINGS) {
    const attribute = candidate[field];
    if (typeof attribute !== 'string' || attribute.length === 0 || attribute.length > maxLength) {
      return notCloudEvent(`${field}: must be a string of 1 to ${maxLength} characters`, field);
    }
  }
  // The quick check only ever says yes; a no is the schema's to explain.
  const problem = isTimestamp(candidate.time) ? null : timeProblem(candidate.time);
  if (problem !== null) return notCloudEvent(`time: ${problem}`, 'time');
  if (candidate.datacontenttype !== undefined && candidate.datacontenttype !== CONTENT_TYPE_JSON) {
    return notCloudEvent('datacontenttype: must be application/json', 'datacontenttype');
  }
  const data = candidate.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return notCloudEvent('data: must be a JSON object', 'data');
  }
  return null;
}

export interface RawMessage {
  /** The topic it was read from (namespaced or not); when given, the event's type must belong to it. */
  readonly topic?: string;
  /** The Kafka key; when `checkKey` is on (the default), it must equal `data.merchantId`. */
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
}

export interface DecodeOptions {
  readonly maxBytes?: number;
  readonly checkKey?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const violation = (
  reason: DeadLetterReason,
  message: string,
  field?: string,
): Result<never, ContractViolation> =>
  err(field === undefined ? { reason, message } : { reason, field, message });

function firstIssue(error: z.ZodError, prefix: string, fallback: DeadLetterReason): ContractViolation {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const params = (issue as { params?: { reason?: DeadLetterReason } }).params;
  const reason = params?.reason ?? fallback;
  // A fault of the whole value (say, a JSON array) names no field.
  if (field === '') return { reason, message: `value: ${issue.message}` };
  return { reason, field, message: `${field}: ${issue.message}` };
}

/**
 * Decodes one Kafka message into a typed CloudEvent, or says precisely why it cannot be
 * processed. Never throws: whatever the bytes, the answer is a value (bad input is data).
 */
export function decodeEvent(
  message: RawMessage,
  options: DecodeOptions = {},
): Result<AnyCloudEvent, ContractViolation> {
  const maxBytes = options.maxBytes ?? MAX_EVENT_BYTES;
  const { value } = message;
  if (value === null || value.length === 0) return violation(DeadLetterReason.NOT_JSON, 'empty value');
  const size = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
  if (size > maxBytes) {
    return violation(DeadLetterReason.PAYLOAD_TOO_LARGE, `value is ${size} bytes; the limit is ${maxBytes}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : utf8.decode(value));
  } catch (cause) {
    // Invalid UTF-8, a syntax error, or nesting deep enough to exhaust the parser's stack.
    return violation(DeadLetterReason.NOT_JSON, `not JSON: ${(cause as Error).message.slice(0, 200)}`);
  }

  const refused = envelopeViolation(parsed);
  if (refused !== null) return refused;
  // A fresh object of our own (JSON.parse made it): its `data` is replaced in place below
  // rather than copied, one allocation fewer per message.
  const envelope = parsed as Envelope;
  const { type, subject } = envelope;

  if (!isEventType(type))
    return violation(DeadLetterReason.UNKNOWN_TYPE, `unknown event type "${type}"`, 'type');
  const entry = EVENT_CATALOG[type];
  if (message.topic !== undefined && !isTopicOf(message.topic, entry.topic)) {
    return violation(
      DeadLetterReason.WRONG_TOPIC,
      `"${type}" belongs on ${entry.topic}, not ${message.topic}`,
      'type',
    );
  }

  // The hand-written parser answers for valid data of the busy types; anything it does not
  // accept, and every other type, is the schema's to parse or refuse.
  const rawData = envelope.data as Readonly<Record<string, unknown>>;
  let data: unknown = parseDataFast(type, rawData);
  if (data === undefined) {
    const checked = entry.data.safeParse(rawData);
    if (!checked.success) return err(firstIssue(checked.error, 'data', DeadLetterReason.SCHEMA_VIOLATION));
    data = checked.data;
  }
  const merchantId = (data as { merchantId: string }).merchantId;

  if (subject !== merchantId) {
    return violation(
      DeadLetterReason.SUBJECT_MISMATCH,
      `subject "${subject}" is not data.merchantId "${merchantId}"`,
      'subject',
    );
  }
  if ((options.checkKey ?? true) && !keyIs(message.key, merchantId)) {
    const key = message.key == null ? null : message.key.toString();
    return violation(
      DeadLetterReason.KEY_MISMATCH,
      `Kafka key ${JSON.stringify(key)} is not "${merchantId}"`,
      'key',
    );
  }
  envelope.data = data;
  shareRepeatedStrings(envelope as MutableEnvelope, type, merchantId);
  return ok(envelope as unknown as AnyCloudEvent);
}

type MutableEnvelope = { -readonly [K in keyof Envelope]: Envelope[K] };

/** Each type's name as the catalog holds it: one string shared by every event of the type. */
const CATALOG_TYPE_NAMES: ReadonlyMap<string, string> = new Map(
  Object.keys(EVENT_CATALOG).map((type) => [type, type]),
);

/** The source of the last event decoded: consecutive events nearly always share it. */
let lastSource = '';

/**
 * A consumer keeps a batch's decoded events until the batch is done, and every one of them
 * carries its own copy of strings that repeat from event to event. Each is swapped for an
 * equal string that is shared (the catalog's type name, the previous event's source, the
 * content type, the merchant id the subject was just checked to equal): the same values, less
 * memory held, less for the garbage collector to copy while the batch is in flight.
 */
function shareRepeatedStrings(envelope: MutableEnvelope, type: string, merchantId: string): void {
  envelope.type = CATALOG_TYPE_NAMES.get(type) ?? type;
  envelope.subject = merchantId;
  if (envelope.source === lastSource) envelope.source = lastSource;
  else lastSource = envelope.source;
  if (envelope.datacontenttype !== undefined) envelope.datacontenttype = CONTENT_TYPE_JSON;
}

/** Whether the Kafka key is the merchant id, compared byte for byte (no string is made per message). */
function keyIs(key: Buffer | string | null | undefined, merchantId: string): boolean {
  if (key == null) return false;
  if (typeof key === 'string') return key === merchantId;
  if (key.length !== merchantId.length) return key.toString() === merchantId;
  for (let index = 0; index < key.length; index += 1) {
    const code = merchantId.charCodeAt(index);
    // Merchant ids are ASCII (their schema says so), where one byte is one character.
    if (code > 0x7f) return key.toString() === merchantId;
    if (key[index] !== code) return false;
  }
  return true;
}

export interface NewEvent<T extends EventType> {
  readonly type: T;
  readonly id: string;
  readonly source: string;
  readonly time: Date | string;
  readonly data: EventData<T>;
}

/** Builds a contract-shaped event; the subject is the merchant, as CONTRACT.md requires. */
export function createEvent<T extends EventType>(event: NewEvent<T>): CloudEvent<T> {
  const data = event.data as EventData<T> & { merchantId: string };
  return {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    time: typeof event.time === 'string' ? event.time : event.time.toISOString(),
    subject: data.merchantId,
    datacontenttype: 'application/json',
    data,
  };
}

/** Serialises an event for Kafka: bigint amounts become digit strings, never JSON numbers. */
export function encodeEvent(event: CloudEvent): string {
  return JSON.stringify(event, (_key, value: unknown) =>
    typeof value === 'bigint' ? formatAmountMinor(value) : value,
  );
}

/** The Kafka topic an event type is published on. */
export const topicOf = (type: EventType) => EVENT_CATALOG[type].topic;
