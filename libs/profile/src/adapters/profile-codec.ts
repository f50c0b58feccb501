import { CARRIED_COUNTER_NAMES, DAY_COUNTER_INDEX, zeroDayCounters } from '../day-counters';
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

function decodeDayRecord(reader: ByteReader): { gap: number; counters: bigint[] } {
  const payloadStart = reader.position;
  const fields: bigint[] = [];
  for (let index = 0; index < NIBBLE_FIELD_COUNT / 2; index += 1) {
    const byte = reader.uint(1);
    fields.push(BigInt(byte >> 4), BigInt(byte & 0x0f));
  }
  const escape = BigInt(NIBBLE_ESCAPE);
  for (let index = 0; index < fields.length; index += 1) {
    if (fields[index] === escape) fields[index] = escape + reader.varint();
  }
  const counters = zeroDayCounters();
  NIBBLE_COUNTERS.forEach((name, index) => (counters[DAY_COUNTER_INDEX[name]] = fields[index + 1]!));
  for (const name of VARINT_COUNTERS) counters[DAY_COUNTER_INDEX[name]] = reader.varint();
  const payloadBytes = reader.position - payloadStart;
  if (reader.uint(1) !== payloadBytes)
    throw new RangeError('a day record length byte disagrees with its payload');
  return { gap: Number(fields[0]), counters };
}

function decodeDayRecords(reader: ByteReader, header: DayRecordsHeader): DayRecord[] {
  const end = reader.position + header.dayRecordsBytes;
  const records: DayRecord[] = [];
  let day = header.firstDay;
  while (reader.position < end) {
    const { gap, counters } = decodeDayRecord(reader);
    // The first record's gap is not read: its day is firstDay (trimming leaves it stale).
    if (records.length > 0) {
      if (gap < 1) throw new RangeError('day records out of order');
      day += gap;
    }
    records.push({ day, counters });
  }
  if (reader.position !== end) throw new RangeError('day records overrun their length');
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
  const dayRecords = decodeDayRecords(reader, days);
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
