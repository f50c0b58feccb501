import { hash } from 'node:crypto';

/**
 * Compact, stable hashes of identifiers, so per-merchant state stores a few bytes instead of
 * the platform's ids. They are persisted in Redis: never change how they are computed
 * without a new layout version.
 */

// Inputs are length-prefixed where two fields are joined, so ("a", "b\nc") and ("a\nb", "c") differ.
const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * 64 bits of SHA-256 over (`source`, `id`), the contract's idempotency key, as 16 hex digits.
 * With ~10^3 fingerprints per merchant in the horizon, a false duplicate is ~10^-16 per event.
 */
export const eventFingerprint = (source: string, id: string): string =>
  sha256Hex(`event\n${source.length}\n${source}\n${id}`).slice(0, 16);

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
export const tieBreakerOf = (fingerprint: string): number => Number.parseInt(fingerprint.slice(0, 4), 16);
