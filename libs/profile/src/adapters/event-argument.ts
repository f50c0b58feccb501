import { hourIndexOf } from '../event-time';
import { ProfileDelta } from '../profile-delta';
import { OFFSET_MAX } from './profile-layout';

/**
 * A merchant's events as the Lua script reads them: one binary argument holding, per event,
 * a u16 length then the event packed as below (what profileDelta computed). One argument
 * per call rather than one per event keeps the client's encoding and the script's argument
 * handling cheap.
 *   u48 offset · 8 fingerprint · u48 timeMs · u16 day · u32 hour · 3 currency (zero bytes: none)
 *   · u16 tieBreaker · u8 n · n × (u8 counter index, 1-based · u56 increment)
 *   · u8 stock kind (0 none, 1 snapshot, 2 stock-out, 3 restocked)
 *   · if a stock kind: 6 key · if a snapshot: u56 onHandUnits · u56 inventoryValueMinor
 */
export const EVENT_ARGUMENT_FORMAT = '>I6c8I6HI4c3HB';
const FIXED_BYTES = 32;
const COUNTER_BYTES = 8;
const LENGTH_PREFIX_BYTES = 2;

const STOCK_KIND_CODE = { SNAPSHOT: 1, STOCKOUT: 2, RESTOCKED: 3 } as const;

export interface PositionedDelta {
  /** The Kafka offset, a decimal string. */
  readonly offset: string;
  readonly delta: ProfileDelta;
}

const writeUInt56 = (buffer: Buffer, value: bigint, at: number): number => {
  if (value < 0n || value >= 2n ** 56n) throw new RangeError(`${value} does not fit 56 bits`);
  buffer.writeUInt8(Number(value >> 48n), at);
  return buffer.writeUIntBE(Number(value & 0xffffffffffffn), at + 1, 6);
};

function offsetNumber(offset: string): number {
  const value = Number(offset);
  if (!Number.isSafeInteger(value) || value < 0 || value > OFFSET_MAX) {
    throw new RangeError(`Kafka offset ${offset} does not fit the profile's 48-bit positions`);
  }
  return value;
}

const stockBytes = (delta: ProfileDelta): number =>
  delta.stock === null ? 0 : delta.stock.kind === 'SNAPSHOT' ? 6 + 14 : 6;

function nonZeroCounters(delta: ProfileDelta): number {
  let count = 0;
  for (const value of delta.counters) if (value !== 0n) count += 1;
  return count;
}

const eventBytes = (delta: ProfileDelta): number =>
  FIXED_BYTES + nonZeroCounters(delta) * COUNTER_BYTES + 1 + stockBytes(delta);

function writeEvent(buffer: Buffer, start: number, offset: string, delta: ProfileDelta): number {
  let at = buffer.writeUIntBE(offsetNumber(offset), start, 6);
  at += buffer.write(delta.fingerprint, at, 8, 'hex');
  at = buffer.writeUIntBE(delta.eventTimeMs, at, 6);
  at = buffer.writeUInt16BE(delta.day, at);
  at = buffer.writeUInt32BE(hourIndexOf(delta.eventTimeMs), at);
  if (delta.currency === null) buffer.fill(0, at, at + 3);
  else buffer.write(delta.currency, at, 3, 'latin1');
  at += 3;
  at = buffer.writeUInt16BE(delta.tieBreaker, at);
  at = buffer.writeUInt8(nonZeroCounters(delta), at);
  delta.counters.forEach((value, index) => {
    if (value === 0n) return;
    at = buffer.writeUInt8(index + 1, at);
    at = writeUInt56(buffer, value, at);
  });
  const stock = delta.stock;
  at = buffer.writeUInt8(stock === null ? 0 : STOCK_KIND_CODE[stock.kind], at);
  if (stock !== null) {
    at += buffer.write(
      stock.kind === 'SNAPSHOT' ? stock.warehouseKey : stock.stockKeepingUnitKey,
      at,
      6,
      'hex',
    );
    if (stock.kind === 'SNAPSHOT') {
      at = writeUInt56(buffer, stock.onHandUnits, at);
      at = writeUInt56(buffer, stock.inventoryValueMinor, at);
    }
  }
  return at;
}

/** Packs a merchant's events, in offset order, into the script's events argument. */
export function encodeEventArguments(events: readonly PositionedDelta[]): Buffer {
  const sizes = events.map(({ delta }) => eventBytes(delta));
  const buffer = Buffer.allocUnsafe(sizes.reduce((sum, size) => sum + LENGTH_PREFIX_BYTES + size, 0));
  let at = 0;
  events.forEach(({ offset, delta }, index) => {
    const start = buffer.writeUInt16BE(sizes[index]!, at);
    at = writeEvent(buffer, start, offset, delta);
    if (at !== start + sizes[index]!)
      throw new Error(`event argument is ${at - start} bytes, expected ${sizes[index]}`);
  });
  return buffer;
}
