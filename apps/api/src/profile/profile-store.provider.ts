import { Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { MerchantProfile, ProfileState, readWindows, RedisProfileStore } from '@lendstream/profile';
import { ApiError } from '@lendstream/platform';
import type { ApiOptions } from '../api-config';
import { API_OPTIONS, API_PROFILE_STORE, API_REDIS } from '../api-tokens';

/** The profiler's store, read through the API's Redis connection, under the profiler's key prefix. */
export const apiProfileStoreProvider: Provider = {
  provide: API_PROFILE_STORE,
  inject: [API_REDIS, API_OPTIONS],
  useFactory: (redis: Redis, options: ApiOptions): RedisProfileStore =>
    new RedisProfileStore(redis, { keyPrefix: options.profileKeyPrefix }),
};

/** How soon to retry when Redis does not answer. */
const PROFILE_STORE_RETRY_AFTER_SECONDS = 5;

/** Redis down is a 503 the caller may retry, never a 500 and never "no profile". */
export function profileStoreUnavailable(error: unknown): ApiError {
  return new ApiError(
    503,
    'PROFILE_STORE_UNAVAILABLE',
    `the profile store (Redis) cannot be read right now (${error instanceof Error ? error.message : String(error)}); retry shortly`,
    { 'Retry-After': String(PROFILE_STORE_RETRY_AFTER_SECONDS) },
  );
}

/** The stored profile state, or null when the merchant has none; a Redis failure is a 503. */
export async function readProfileState(
  store: RedisProfileStore,
  merchantId: string,
): Promise<ProfileState | null> {
  try {
    return await store.readProfile(merchantId);
  } catch (error) {
    throw profileStoreUnavailable(error);
  }
}

/** The profile as of `asOf`, or null when the merchant has none; a Redis failure is a 503. */
export async function readProfileAsOf(
  store: RedisProfileStore,
  merchantId: string,
  asOf: Date,
): Promise<MerchantProfile | null> {
  const state = await readProfileState(store, merchantId);
  return state === null ? null : readWindows(state, asOf, store.retention);
}
