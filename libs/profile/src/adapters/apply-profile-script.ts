import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARRIED_COUNTER_INDEXES, DAY_COUNTER_COUNT, EXACT_INTEGER_MAX } from '../day-counters';
import { DAY_MS, HOUR_MS } from '../event-time';
import { ProfileRetention } from '../profile-retention';
import {
  luaCounterIndexes,
  NIBBLE_COUNTERS,
  NIBBLE_ESCAPE,
  NO_PARTITION,
  OVERFLOWED_FLAG,
  PROFILE_HEADER_BYTES,
  PROFILE_HEADER_FORMAT,
  PROFILE_LAYOUT_VERSION,
  STOCK_KEEPING_UNIT_ENTRY_FORMAT,
  VARINT_COUNTERS,
  WAREHOUSE_ENTRY_FORMAT,
} from './profile-layout';
import { EVENT_ARGUMENT_FORMAT, INCREMENT_OF_ONE_FLAG } from './event-argument';

/** How re-published copies are recognised: see the fingerprint section of the README. */
export interface FingerprintPolicy {
  /** Fingerprints are kept this many event-time hours behind the stream's newest event (the contract's 24 h). */
  readonly horizonHours: number;
  /** Fingerprints per merchant and input stream; past it the oldest hours are forgotten early (a very busy merchant). */
  readonly fingerprintsMax: number;
}

export const DEFAULT_FINGERPRINT_POLICY: FingerprintPolicy = { horizonHours: 24, fingerprintsMax: 20_000 };

export interface ProfileScript {
  readonly source: string;
  /** SHA-1 of the source: what EVALSHA names, and what SCRIPT LOAD must answer. */
  readonly sha1: string;
}

const SCRIPT_BODY = readFileSync(join(__dirname, 'apply-profile.lua'), 'utf8');

const luaList = (values: readonly number[]): string => `{ ${values.join(', ')} }`;
const luaString = (text: string): string => `'${text}'`;

/**
 * The Lua script with the configuration compiled in as constants, so that the script stays
 * generic (the counters, what is carried, the bounds all come from TypeScript) and each
 * call only carries the events.
 */
export function buildApplyProfileScript(
  retention: ProfileRetention,
  fingerprints: FingerprintPolicy,
): ProfileScript {
  const constants: Record<string, string | number> = {
    LAYOUT_VERSION: PROFILE_LAYOUT_VERSION,
    HEADER_FORMAT: luaString(PROFILE_HEADER_FORMAT),
    HEADER_BYTES: PROFILE_HEADER_BYTES,
    WAREHOUSE_ENTRY_FORMAT: luaString(WAREHOUSE_ENTRY_FORMAT),
    UNIT_ENTRY_FORMAT: luaString(STOCK_KEEPING_UNIT_ENTRY_FORMAT),
    EVENT_FORMAT: luaString(EVENT_ARGUMENT_FORMAT),
    COUNTER_COUNT: DAY_COUNTER_COUNT,
    NIBBLE_COUNTERS: luaList(luaCounterIndexes(NIBBLE_COUNTERS)),
    VARINT_COUNTERS: luaList(luaCounterIndexes(VARINT_COUNTERS)),
    CARRIED_COUNTERS: luaList(CARRIED_COUNTER_INDEXES.map((index) => index + 1)),
    NIBBLE_ESCAPE,
    NO_PARTITION,
    OVERFLOWED_FLAG,
    EXACT_MAX: EXACT_INTEGER_MAX.toString(),
    DAY_MS,
    HOUR_MS,
    INCREMENT_OF_ONE_FLAG,
    KEPT_DAYS: retention.keptDays,
    LATE_STOCK_MS: retention.lateStockEventMs,
    STOCK_STATE_MS: retention.stockStateMs,
    WAREHOUSES_MAX: retention.warehousesMax,
    UNITS_MAX: retention.stockEntriesMax,
    FINGERPRINT_HOURS: fingerprints.horizonHours,
    FINGERPRINTS_MAX: fingerprints.fingerprintsMax,
  };
  const preamble = Object.entries(constants)
    .map(([name, value]) => `local ${name} = ${value}`)
    .join('\n');
  const source = `${preamble}\n${SCRIPT_BODY}`;
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

export function assertValidFingerprintPolicy(policy: FingerprintPolicy): void {
  if (
    !Number.isSafeInteger(policy.horizonHours) ||
    policy.horizonHours < 1 ||
    policy.horizonHours > 24 * 31
  ) {
    throw new RangeError('fingerprint horizonHours must be 1..744');
  }
  if (
    !Number.isSafeInteger(policy.fingerprintsMax) ||
    policy.fingerprintsMax < 1 ||
    policy.fingerprintsMax > 1_000_000
  ) {
    throw new RangeError('fingerprintsMax must be 1..1000000');
  }
}
