import { DAY_COUNTER_COUNT } from '../day-counters';
import { ProfileDelta } from '../profile-delta';
import { OFFSET_MAX } from './profile-layout';

/**
 * A merchant's events as the Lua script reads them: one binary argument holding, per event,
 * a u16 length then the event packed as below (what profileDelta computed). One argument
 * per call rather than one per event keeps the client's encoding and the script's argument
 * handling cheap; and every byte not sent is a byte neither side copies or parses:
 *   u48 offset · 8 fingerprint · u48 timeMs · 3 currency (zero bytes: none) · u8 n
 *   · n × counter: u8 (0x80 | counter index, 1-based) for an increment of 1, the usual one,
 *     else u8 counter index · u56 increment
 *   · u8 stock kind (0 none, 1 snapshot, 2 stock-out, 3 restocked)
 *   · if a stock kind: 6 key · if a snapshot: u56 onHandUnits · u56 inventoryValueMinor
 * The script derives the rest of the delta from these: the day and the hour from timeMs
 * (both floors, as dayIndexOf and hourIndexOf), the tie-breaker from the fingerprint's
 * first two bytes (as tieBreakerOf).
 */
export const EVENT_ARGUMENT_FORMAT = '>I6c8I6c3B';
const FIXED_BYTES = 24;
/** The flag, on a counter's index byte, of an increment of exactly 1 (no value follows). */
export const INCREMENT_OF_ONE_FLAG = 0x80;
const COUNTER_BYTES = 8;
const LENGTH_PREFIX_BYTES = 2;
/** Every counter in full and a snapshot: no event is longer. */
const EVENT_BYTES_MAX = FIXED_BYTES + DAY_COUNTER_COUNT * COUNTER_BYTES + 1 + 6 + 14;
/** A paid order: the fixed part, its two counters and the length prefix, rounded up. */
const TYPICAL_EVENT_BYTES = 40;

const STOCK_KIND_CODE = { SNAPSHOT: 1, STOCKOUT: 2, RESTOCKED: 3 } as const;

export interface PositionedDelta {
  /** The Kafka offset, a decimal string. */
  readonly offset: string;
  readonly delta: ProfileDelta;
}

const TWO_POW_48 = 2 ** 48;
const UINT56_LIMIT = 2n ** 56n;
const SAFE_INTEGER_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A u56, big-endian. Counters and amounts are far below 2^53: they go through a Number, not bigint arithmetic. */
function writeUInt56(buffer: Buffer, value: bigint, at: number): number {
  if (value < 0n || value >= UINT56_LIMIT) throw new RangeError(`${value} does not fit 56 bits`);
  if (value <= SAFE_INTEGER_MAX) {
    const number = Number(value);
    const high = Math.floor(number / TWO_POW_48);
    buffer[at] = high;
    return buffer.writeUIntBE(number - high * TWO_POW_48, at + 1, 6);
  }
  buffer[at] = Number(value >> 48n);
  return buffer.writeUIntBE(Number(value & 0xffffffffffffn), at + 1, 6);
}

/** A Kafka offset (a string of decimal digits, as kafkajs gives it) as a number, read digit by digit: cheaper than Number() per event. */
function offsetNumber(offset: string): number {
  let value = 0;
  for (let index = 0; index < offset.length; index += 1) {
    const digit = offset.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9 || value > OFFSET_MAX) break;
    value = value * 10 + digit;
    if (index === offset.length - 1 && value <= OFFSET_MAX) return value;
  }
  throw new RangeError(`Kafka offset ${offset} does not fit the profile's 48-bit positions`);
}

/** Three ASCII letters (the schema's ISO 4217 form), or three zero bytes for none. */
function writeCurrency(buffer: Buffer, currency: string | null, at: number): number {
  if (currency === null) {
    buffer[at] = buffer[at + 1] = buffer[at + 2] = 0;
  } else {
    if (currency.length !== 3) throw new RangeError(`currency ${currency} is not three letters`);
    // Byte by byte: a native string write costs more than the three bytes themselves.
    for (let index = 0; index < 3; index += 1) buffer[at + index] = currency.charCodeAt(index) & 0xff;
  }
  return at + 3;
}

/** A hex digit's value, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const letter = code | 0x20; // lower case
  return letter >= 0x61 && letter <= 0x66 ? letter - 0x57 : -1;
}

/** `hex` (exactly 2 × `bytes` hex digits) as bytes: a loop of arithmetic costs less than a native hex write this short. */
function writeHex(buffer: Buffer, hex: string, at: number, bytes: number): number {
  if (hex.length !== bytes * 2) throw new RangeError(`"${hex}" is not ${bytes * 2} hex digits`);
  for (let index = 0; index < bytes; index += 1) {
    const high = hexDigit(hex.charCodeAt(2 * index));
    const low = hexDigit(hex.charCodeAt(2 * index + 1));
    if (high < 0 || low < 0) throw new RangeError(`"${hex}" is not ${bytes * 2} hex digits`);
    buffer[at + index] = high * 16 + low;
  }
  return at + bytes;
}

function writeEvent(buffer: Buffer, start: number, offset: string, delta: ProfileDelta): number {
  let at = buffer.writeUIntBE(offsetNumber(offset), start, 6);
  at = writeHex(buffer, delta.fingerprint, at, 8);
  at = buffer.writeUIntBE(delta.eventTimeMs, at, 6);
  at = writeCurrency(buffer, delta.currency, at);
  const counterCountAt = at++;
  let counterCount = 0;
  const counters = delta.counters;
  for (let index = 0; index < counters.length; index += 1) {
    const value = counters[index]!;
    if (value === 0n) continue;
    counterCount += 1;
    if (value === 1n) {
      buffer[at++] = INCREMENT_OF_ONE_FLAG | (index + 1);
    } else {
      buffer[at++] = index + 1;
      at = writeUInt56(buffer, value, at);
    }
  }
  buffer[counterCountAt] = counterCount;
  const stock = delta.stock;
  buffer[at++] = stock === null ? 0 : STOCK_KIND_CODE[stock.kind];
  if (stock !== null) {
    at = writeHex(buffer, stock.kind === 'SNAPSHOT' ? stock.warehouseKey : stock.stockKeepingUnitKey, at, 6);
    if (stock.kind === 'SNAPSHOT') {
      at = writeUInt56(buffer, stock.onHandUnits, at);
      at = writeUInt56(buffer, stock.inventoryValueMinor, at);
    }
  }
  return at;
}

/**
 * Builds one script call's events argument, event by event, in offset order: each event is
 * encoded as soon as its delta is known, so the deltas of a batch need not be kept until the
 * call is sent. The buffer grows by doubling; `bytes()` is the argument.
 */
export class EventArgumentWriter {
  private buffer: Buffer;
  private length = 0;
  private eventCount = 0;

  constructor(expectedEvents = 16) {
    this.buffer = Buffer.allocUnsafe(Math.max(1, expectedEvents) * TYPICAL_EVENT_BYTES);
  }

  /** Events appended so far. */
  get count(): number {
    return this.eventCount;
  }

  append(offset: string, delta: ProfileDelta): void {
    // Room for the largest event, written at once; its length is filled in behind it.
    this.reserve(LENGTH_PREFIX_BYTES + EVENT_BYTES_MAX);
    const start = this.length + LENGTH_PREFIX_BYTES;
    const end = writeEvent(this.buffer, start, offset, delta);
    const size = end - start;
    if (size > EVENT_BYTES_MAX) throw new Error(`event argument is ${size} bytes, over ${EVENT_BYTES_MAX}`);
    this.buffer.writeUInt16BE(size, this.length);
    this.length = end;
    this.eventCount += 1;
  }

  /** The argument: every appended event, each behind its u16 length. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** Packs a merchant's events, in offset order, into the script's events argument. */
export function encodeEventArguments(events: readonly PositionedDelta[]): Buffer {
  const writer = new EventArgumentWriter(events.length);
  for (const { offset, delta } of events) writer.append(offset, delta);
  return writer.bytes();
}
