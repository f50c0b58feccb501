import type { Redis } from 'ioredis';
import { PROFILE_SOURCES } from '../profile-state';
import { fingerprintKey, profileKey } from './redis-profile-keys';

export interface ProfileMemory {
  /** MEMORY USAGE of the profile string (the memory target is about this). */
  readonly profileBytes: number;
  /** MEMORY USAGE of the three fingerprint strings, summed (dedupe state, measured apart). */
  readonly dedupeBytes: number;
}

/** Exact (SAMPLES 0) Redis memory of one merchant's keys; a missing key counts 0. */
export async function measureProfileMemory(
  redis: Redis,
  prefix: string,
  merchantId: string,
): Promise<ProfileMemory> {
  const usage = async (key: string): Promise<number> => {
    const bytes = (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
    return bytes ?? 0;
  };
  const dedupe = await Promise.all(
    PROFILE_SOURCES.map((source) => usage(fingerprintKey(prefix, merchantId, source))),
  );
  return {
    profileBytes: await usage(profileKey(prefix, merchantId)),
    dedupeBytes: dedupe.reduce((sum, bytes) => sum + bytes, 0),
  };
}
