import { CARRIED_COUNTER_NAMES, DAY_COUNTER_INDEX, DAY_COUNTER_NAMES, DayCounterName } from '../day-counters';
import { PROFILE_SOURCES } from '../profile-state';

/**
 * The byte layout of a profile string in Redis, shared by the Lua script (which writes it)
 * and the TypeScript codec (which reads it). Big-endian, fixed-width header, then the day
 * records, then the stock state. Any change here is a new PROFILE_LAYOUT_VERSION: the
 * script refuses a profile of another version, and the profile is rebuilt by a replay.
 *
 * header (94 bytes):
 *   u8 version · u8 flags (bit 0: overflowed) · 3 ASCII currency (zero bytes: none)
 *   u48 firstSeenMs · u48 newestEventMs · u48 newestStockEventMs (0: none)
 *   u16 firstDay · u16 lastDay · u16 dayRecordsBytes
 *   u8 warehouseCount · u8 stockKeepingUnitCount
 *   u56 carried total × 3 (paid, refunded, settled)
 *   per source (orders, warehouse, logistics): u16 partition (0xFFFF: none) · u48 fromOffset · u48 throughOffset
 * day records, ascending by day, each a payload then one byte holding the payload's length
 * (so the script walks back from the newest record without decoding the others):
 *   3 bytes of six 4-bit fields: the day gap (days since the previous record; not read for
 *   the first record, whose day is firstDay), then NIBBLE_COUNTERS; a field of 15 means
 *   "15 or more", its value minus 15 following as a varint;
 *   then VARINT_COUNTERS as unsigned LEB128 varints.
 * stock state:
 *   warehouseCount × (6 key · u48 timeMs · u16 tieBreaker · u56 onHandUnits · u56 inventoryValueMinor)
 *   stockKeepingUnitCount × (6 key · u48 timeMs · u16 tieBreaker · u8 outOfStock)
 */
export const PROFILE_LAYOUT_VERSION = 1;

export const PROFILE_HEADER_BYTES = 94;
export const NO_PARTITION = 0xffff;
export const OVERFLOWED_FLAG = 1;

/** Lua `struct` format of the header, field for field as above. */
export const PROFILE_HEADER_FORMAT =
  '>BBc3I6I6I6HHHBB' + 'I7'.repeat(CARRIED_COUNTER_NAMES.length) + 'HI6I6'.repeat(PROFILE_SOURCES.length);

/** Counters that are usually small (0-14 a day), stored in 4 bits each. */
export const NIBBLE_COUNTERS: readonly DayCounterName[] = [
  'refunds',
  'cancellations',
  'stockouts',
  'shipmentsDeliveredLate',
  'shipmentsReturned',
];

/** Counters that grow with volume, stored as varints. */
export const VARINT_COUNTERS: readonly DayCounterName[] = [
  'paidAmountMinor',
  'paidOrders',
  'refundedAmountMinor',
  'settledAmountMinor',
  'shipmentsDispatched',
  'shipmentsDelivered',
];

/** 4-bit fields per record: the day gap first, then the nibble counters. */
export const NIBBLE_FIELD_COUNT = 1 + NIBBLE_COUNTERS.length;
export const NIBBLE_ESCAPE = 15;

export const WAREHOUSE_ENTRY_FORMAT = '>c6I6HI7I7';
export const WAREHOUSE_ENTRY_BYTES = 28;
export const STOCK_KEEPING_UNIT_ENTRY_FORMAT = '>c6I6HB';
export const STOCK_KEEPING_UNIT_ENTRY_BYTES = 15;

/** u48 offsets in the header; Kafka offsets beyond it would take ~9000 years at a million messages a second. */
export const OFFSET_MAX = 2 ** 48 - 1;

// The layout is only valid if every counter is stored exactly once and the header is what it says.
const stored = [...NIBBLE_COUNTERS, ...VARINT_COUNTERS];
if (stored.length !== DAY_COUNTER_NAMES.length || new Set(stored).size !== stored.length) {
  throw new Error('profile layout: NIBBLE_COUNTERS and VARINT_COUNTERS must partition DAY_COUNTER_NAMES');
}
if (NIBBLE_FIELD_COUNT % 2 !== 0) throw new Error('profile layout: nibble fields must fill whole bytes');
if (CARRIED_COUNTER_NAMES.length !== 3 || PROFILE_SOURCES.length !== 3) {
  throw new Error('profile layout: the header holds exactly 3 carried totals and 3 sources');
}

/** 1-based Lua indexes of counters, for templating the script. */
export const luaCounterIndexes = (names: readonly DayCounterName[]): number[] =>
  names.map((name) => DAY_COUNTER_INDEX[name] + 1);
