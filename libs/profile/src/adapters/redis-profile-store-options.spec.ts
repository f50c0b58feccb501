import { DEFAULT_PROFILE_RETENTION } from '../profile-retention';
import { REDIS_PROFILE_STORE_DEFAULTS, resolveRedisProfileStoreOptions } from './redis-profile-store-options';

describe('resolveRedisProfileStoreOptions', () => {
  it('fills the defaults', () => {
    expect(resolveRedisProfileStoreOptions({})).toEqual(REDIS_PROFILE_STORE_DEFAULTS);
  });

  it.each([
    ['a prefix that would break the hash tag', { keyPrefix: 'lp:{x}' }, /prefix/],
    ['an empty prefix', { keyPrefix: '' }, /prefix/],
    [
      'fewer kept days than the longest window',
      { retention: { ...DEFAULT_PROFILE_RETENTION, keptDays: 89 } },
      /keptDays/,
    ],
    [
      'a zero fingerprint horizon',
      { fingerprints: { horizonHours: 0, fingerprintsMax: 10 } },
      /horizonHours/,
    ],
    ['a key TTL shorter than the horizon', { fingerprintKeyTtlMs: 3_600_000 }, /fingerprintKeyTtlMs/],
    ['no events per call', { eventsPerCallMax: 0 }, /eventsPerCallMax/],
    ['too many events per call', { eventsPerCallMax: 10_001 }, /eventsPerCallMax/],
  ])('refuses %s', (_, options, message) => {
    expect(() => resolveRedisProfileStoreOptions(options)).toThrow(message);
  });
});
