import {
  CARRIED_COUNTER_NAMES,
  DAY_COUNTER_COUNT,
  DAY_COUNTER_INDEX,
  zeroDayCounters,
} from '../day-counters';
import {
  AppliedPosition,
  DayRecord,
  PROFILE_SOURCES,
  ProfileSource,
  ProfileState,
  StockKeepingUnitState,
  WarehouseInventory,
} from '../profile-state';
import { ByteReader, ByteWriter } from './byte-reader';
import {
  NIBBLE_COUNTERS,
  NIBBLE_ESCAPE,
  NIBBLE_FIELD_COUNT,
  NO_PARTITION,
  OVERFLOWED_FLAG,
  PROFILE_HEADER_BYTES,
  PROFILE_LAYOUT_VERSION,
  VARINT_COUNTERS,
} from './profile-layout';

/** Reading and writing the profile string (layout in profile-layout.ts). The script is the writer in production. */

const NO_CURRENCY = '\0\0\0';

interface DayRecordsHeader {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly dayRecordsBytes: number;
}

/** Where each nibble and varint counter goes in a record's counters, looked up once rather than per record. */
const NIBBLE_COUNTER_INDEXES: readonly number[] = NIBBLE_COUNTERS.map((name) => DAY_COUNTER_INDEX[name]);
const VARINT_COUNTER_INDEXES: readonly number[] = VARINT_COUNTERS.map((name) => DAY_COUNTER_INDEX[name]);
const NIBBLE_BYTES = NIBBLE_FIELD_COUNT / 2;
const NIBBLE_ESCAPE_BIGINT = BigInt(NIBBLE_ESCAPE);
// A record sets every counter from these two lists: each counter must be in exactly one of them.
if (
  new Set([...NIBBLE_COUNTER_INDEXES, ...VARINT_COUNTER_INDEXES]).size !== DAY_COUNTER_COUNT ||
  NIBBLE_COUNTER_INDEXES.length + VARINT_COUNTER_INDEXES.length !== DAY_COUNTER_COUNT
)
  throw new Error('the day record layout must store every day counter exactly once');
/** One record's 4-bit fields, reused: decoding is synchronous, and a record is read before the next. */
const nibbles = new Uint8Array(NIBBLE_FIELD_COUNT);

/**
 * Reads the day records straight from the profile's bytes, with the checks ByteReader makes and
 * its error for bytes that end too soon: a profile holds ~90 records of ~16 bytes, and a
 * ByteReader call (and bigint arithmetic) per byte was most of decoding one.
 */
class DayRecordCursor {
  constructor(
    private readonly bytes: Buffer,
    public position: number,
  ) {}

  byte(): number {
    const byte = this.bytes[this.position];
    if (byte === undefined)
      throw new RangeError(`profile bytes end at ${this.bytes.length}, needed ${this.position + 1}`);
    this.position += 1;
    return byte;
  }

  /**
   * ByteReader.varint, with numbers: seven bytes (49 bits) stay exact as a number; an eighth,
   * which only a sum past 2^49 needs, is added as a bigint.
   */
  varint(): bigint {
    let value = 0;
    let scale = 1;
    for (let bytesRead = 0; bytesRead < 7; bytesRead += 1) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return BigInt(value);
      scale *= 0x80;
    }
    const byte = this.byte();
    if (byte < 0x80) return BigInt(value) | (BigInt(byte) << 49n);
    throw new RangeError('varint longer than 8 bytes');
  }

  /** A nibble field's value: 0-14 as is, 15 ("15 or more") plus the varint that follows. */
  nibbleValue(nibble: number): bigint {
    return nibble === NIBBLE_ESCAPE ? NIBBLE_ESCAPE_BIGINT + this.varint() : BigInt(nibble);
  }
}

/** Reads one record's payload into `counters` (all of them are written) and returns its day gap. */
function decodeDayRecord(cursor: DayRecordCursor, counters: bigint[]): number {
  const payloadStart = cursor.position;
  // Six 4-bit fields in three bytes: the gap, then NIBBLE_COUNTERS; escapes' varints follow in that order.
  for (let index = 0; index < NIBBLE_BYTES; index += 1) {
    const byte = cursor.byte();
    nibbles[2 * index] = byte >> 4;
    nibbles[2 * index + 1] = byte & 0x0f;
  }
  const gap = cursor.nibbleValue(nibbles[0]!);
  for (let index = 0; index < NIBBLE_COUNTER_INDEXES.length; index += 1)
    counters[NIBBLE_COUNTER_INDEXES[index]!] = cursor.nibbleValue(nibbles[index + 1]!);
  for (let index = 0; index < VARINT_COUNTER_INDEXES.length; index += 1)
    counters[VARINT_COUNTER_INDEXES[index]!] = cursor.varint();
  const payloadBytes = cursor.position - payloadStart;
  if (cursor.byte() !== payloadBytes)
    throw new RangeError('a day record length byte disagrees with its payload');
  return Number(gap);
}

function decodeDayRecords(cursor: DayRecordCursor, header: DayRecordsHeader): DayRecord[] {
  const end = cursor.position + header.dayRecordsBytes;
  const records: DayRecord[] = [];
  let day = header.firstDay;
  while (cursor.position < end) {
    const counters = zeroDayCounters();
    const gap = decodeDayRecord(cursor, counters);
    // The first record's gap is not read: its day is firstDay (trimming leaves it stale).
    if (records.length > 0) {
      if (gap < 1) throw new RangeError('day records out of order');
      day += gap;
    }
    records.push({ day, counters });
  }
  if (cursor.position !== end) throw new RangeError('day records overrun their length');
  if (records.length > 0 && records[records.length - 1]!.day !== header.lastDay) {
    throw new RangeError(
      `last day record is day ${records[records.length - 1]!.day}, header says ${header.lastDay}`,
    );
  }
  return records;
}

/** Decodes a stored profile; throws on a corrupt or foreign-layout value (a broken invariant). */
export function decodeProfile(merchantId: string, bytes: Buffer): ProfileState {
  const reader = new ByteReader(bytes);
  const version = reader.uint(1);
  if (version !== PROFILE_LAYOUT_VERSION)
    throw new RangeError(`profile layout ${version}, expected ${PROFILE_LAYOUT_VERSION}`);
  const flags = reader.uint(1);
  const currency = reader.ascii(3);
  const firstSeenMs = reader.uint(6);
  const newestEventMs = reader.uint(6);
  const newestStockEventMs = reader.uint(6);
  const days: DayRecordsHeader = {
    firstDay: reader.uint(2),
    lastDay: reader.uint(2),
    dayRecordsBytes: reader.uint(2),
  };
  const warehouseCount = reader.uint(1);
  const stockKeepingUnitCount = reader.uint(1);
  const carriedTotals = CARRIED_COUNTER_NAMES.map(() => reader.uint56());
  const appliedPositions = {} as Record<ProfileSource, AppliedPosition | null>;
  for (const source of PROFILE_SOURCES) {
    const position = { partition: reader.uint(2), fromOffset: reader.uint(6), throughOffset: reader.uint(6) };
    appliedPositions[source] = position.partition === NO_PARTITION ? null : position;
  }
  if (reader.position !== PROFILE_HEADER_BYTES)
    throw new Error('profile header size disagrees with the layout');
  const cursor = new DayRecordCursor(bytes, reader.position);
  const dayRecords = decodeDayRecords(cursor, days);
  // ByteReader has no skip: reading the records' span as text moves it past them (one small copy).
  reader.ascii(cursor.position - reader.position);
  const warehouses: WarehouseInventory[] = [];
  for (let index = 0; index < warehouseCount; index += 1) {
    warehouses.push({
      warehouseKey: reader.hex(6),
      timeMs: reader.uint(6),
      tieBreaker: reader.uint(2),
      onHandUnits: reader.uint56(),
      inventoryValueMinor: reader.uint56(),
    });
  }
  const stockKeepingUnits: StockKeepingUnitState[] = [];
  for (let index = 0; index < stockKeepingUnitCount; index += 1) {
    stockKeepingUnits.push({
      stockKeepingUnitKey: reader.hex(6),
      timeMs: reader.uint(6),
      tieBreaker: reader.uint(2),
      outOfStock: reader.uint(1) === 1,
    });
  }
  if (reader.remaining !== 0)
    throw new RangeError(`${reader.remaining} unexpected bytes after the stock state`);
  return {
    merchantId,
    currency: currency === NO_CURRENCY ? null : currency,
    firstSeenMs,
    newestEventMs,
    newestStockEventMs: newestStockEventMs === 0 ? null : newestStockEventMs,
    days: dayRecords,
    carriedTotals,
    warehouses,
    stockKeepingUnits,
    overflowed: (flags & OVERFLOWED_FLAG) !== 0,
    appliedPositions,
  };
}

function encodeDayRecord(writer: ByteWriter, gap: number, counters: readonly bigint[]): void {
  const payloadStart = writer.length;
  const fields = [BigInt(gap), ...NIBBLE_COUNTERS.map((name) => counters[DAY_COUNTER_INDEX[name]]!)];
  const escape = BigInt(NIBBLE_ESCAPE);
  const nibble = (value: bigint) => Number(value < escape ? value : escape);
  for (let index = 0; index < fields.length; index += 2)
    writer.uint((nibble(fields[index]!) << 4) | nibble(fields[index + 1]!), 1);
  for (const value of fields) if (value >= escape) writer.varint(value - escape);
  for (const name of VARINT_COUNTERS) writer.varint(counters[DAY_COUNTER_INDEX[name]]!);
  writer.uint(writer.length - payloadStart, 1);
}

/** Encodes a profile the way the script does (tests, and tools that build profiles offline). */
export function encodeProfile(state: ProfileState): Buffer {
  const records = new ByteWriter();
  state.days.forEach((record, index) => {
    encodeDayRecord(records, index === 0 ? 0 : record.day - state.days[index - 1]!.day, record.counters);
  });
  const header = new ByteWriter()
    .uint(PROFILE_LAYOUT_VERSION, 1)
    .uint(state.overflowed ? OVERFLOWED_FLAG : 0, 1)
    .bytes(Buffer.from(state.currency ?? NO_CURRENCY, 'latin1'))
    .uint(state.firstSeenMs, 6)
    .uint(state.newestEventMs, 6)
    .uint(state.newestStockEventMs ?? 0, 6)
    .uint(state.days[0]?.day ?? 0, 2)
    .uint(state.days[state.days.length - 1]?.day ?? 0, 2)
    .uint(records.length, 2)
    .uint(state.warehouses.length, 1)
    .uint(state.stockKeepingUnits.length, 1);
  for (const total of state.carriedTotals) header.uint56(total);
  for (const source of PROFILE_SOURCES) {
    const position = state.appliedPositions[source];
    header
      .uint(position?.partition ?? NO_PARTITION, 2)
      .uint(position?.fromOffset ?? 0, 6)
      .uint(position?.throughOffset ?? 0, 6);
  }
  const stock = new ByteWriter();
  for (const warehouse of state.warehouses) {
    stock
      .bytes(Buffer.from(warehouse.warehouseKey, 'hex'))
      .uint(warehouse.timeMs, 6)
      .uint(warehouse.tieBreaker, 2)
      .uint56(warehouse.onHandUnits)
      .uint56(warehouse.inventoryValueMinor);
  }
  for (const unit of state.stockKeepingUnits) {
    stock
      .bytes(Buffer.from(unit.stockKeepingUnitKey, 'hex'))
      .uint(unit.timeMs, 6)
      .uint(unit.tieBreaker, 2)
      .uint(unit.outOfStock ? 1 : 0, 1);
  }
  return Buffer.concat([header.toBuffer(), records.toBuffer(), stock.toBuffer()]);
}
