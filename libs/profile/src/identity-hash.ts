import { hash } from 'node:crypto';

/**
 * Compact, stable hashes of identifiers, so per-merchant state stores a few bytes instead of
 * the platform's ids. They are persisted in Redis: never change how they are computed
 * without a new layout version.
 */

// Inputs are length-prefixed where two fields are joined, so ("a", "b\nc") and ("a\nb", "c") differ.
const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * The hashed text's part before the id, for the last source seen: consecutive events almost
 * always share their source (one topic, one producer), so it is built once per run of them.
 * One entry only, so that a stream of distinct sources cannot grow a cache.
 */
let lastSource: string | undefined;
let lastSourcePrefix = '';

/**
 * 64 bits of SHA-256 over (`source`, `id`), the contract's idempotency key, as 16 hex digits.
 * With ~10^3 fingerprints per merchant in the horizon, a false duplicate is ~10^-16 per event.
 */
export function eventFingerprint(source: string, id: string): string {
  if (source !== lastSource) {
    lastSourcePrefix = `event\n${source.length}\n${source}\n`;
    lastSource = source;
  }
  return sha256Hex(lastSourcePrefix + id).slice(0, 16);
}

/** 48 bits identifying a warehouse within one merchant, as 12 hex digits. */
export const warehouseKey = (warehouseId: string): string =>
  sha256Hex(`warehouse\n${warehouseId}`).slice(0, 12);

/** 48 bits identifying a SKU in a warehouse within one merchant, as 12 hex digits. */
export const stockKeepingUnitKey = (warehouseId: string, sku: string): string =>
  sha256Hex(`sku\n${warehouseId.length}\n${warehouseId}\n${sku}`).slice(0, 12);

/**
 * The tie-breaker between two writes of one SKU or warehouse at the same millisecond: the top
 * 16 bits of the event's fingerprint. Arbitrary but the same on every replay.
 */
export function tieBreakerOf(fingerprint: string): number {
  let value = 0;
  // The first four hex digits, read in place rather than sliced off and parsed.
  for (let index = 0; index < 4; index += 1) {
    const code = fingerprint.charCodeAt(index);
    const letter = code | 0x20; // lower case
    const digit =
      code >= 0x30 && code <= 0x39 ? code - 0x30 : letter >= 0x61 && letter <= 0x66 ? letter - 0x57 : -1;
    if (digit < 0) throw new RangeError(`fingerprint ${fingerprint} does not start with 4 hex digits`);
    value = value * 16 + digit;
  }
  return value;
}
