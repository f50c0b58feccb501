import { assertValidRetention, DEFAULT_PROFILE_RETENTION, ProfileRetention } from '../profile-retention';
import {
  assertValidFingerprintPolicy,
  DEFAULT_FINGERPRINT_POLICY,
  FingerprintPolicy,
} from './apply-profile-script';
import { assertValidKeyPrefix } from './redis-profile-keys';

export interface RedisProfileStoreOptions {
  /** Namespace of every key (default `lp`); a replay can rebuild into a fresh one. */
  readonly keyPrefix?: string;
  readonly retention?: ProfileRetention;
  readonly fingerprints?: FingerprintPolicy;
  /**
   * Wall-clock TTL of a fingerprint key, refreshed on every write (default 48 h): a safety net
   * that frees a silent merchant's fingerprints. Event-time expiry does the real work.
   */
  readonly fingerprintKeyTtlMs?: number;
  /** Events of one merchant per script call (default 500, at most 10 000); more go in further round trips. */
  readonly eventsPerCallMax?: number;
}

export type ResolvedRedisProfileStoreOptions = Required<RedisProfileStoreOptions>;

export const DEFAULT_KEY_PREFIX = 'lp';
export const REDIS_PROFILE_STORE_DEFAULTS = {
  keyPrefix: DEFAULT_KEY_PREFIX,
  retention: DEFAULT_PROFILE_RETENTION,
  fingerprints: DEFAULT_FINGERPRINT_POLICY,
  fingerprintKeyTtlMs: 48 * 3_600_000,
  eventsPerCallMax: 500,
} as const satisfies ResolvedRedisProfileStoreOptions;

const EVENTS_PER_CALL_LIMIT = 10_000;

/** Fills the defaults and checks every bound; a bad option throws a RangeError naming it. */
export function resolveRedisProfileStoreOptions(
  options: RedisProfileStoreOptions,
): ResolvedRedisProfileStoreOptions {
  const resolved = { ...REDIS_PROFILE_STORE_DEFAULTS, ...options };
  assertValidKeyPrefix(resolved.keyPrefix);
  assertValidRetention(resolved.retention);
  assertValidFingerprintPolicy(resolved.fingerprints);
  const horizonMs = resolved.fingerprints.horizonHours * 3_600_000;
  if (!Number.isSafeInteger(resolved.fingerprintKeyTtlMs) || resolved.fingerprintKeyTtlMs < horizonMs) {
    throw new RangeError(
      'fingerprintKeyTtlMs must be a whole number of ms, at least the fingerprint horizon',
    );
  }
  const perCall = resolved.eventsPerCallMax;
  if (!Number.isSafeInteger(perCall) || perCall < 1 || perCall > EVENTS_PER_CALL_LIMIT) {
    throw new RangeError(`eventsPerCallMax must be 1..${EVENTS_PER_CALL_LIMIT}`);
  }
  return resolved;
}
