/** Injection tokens of the API's own providers. */
export const API_OPTIONS = Symbol('API_OPTIONS');
export const API_REDIS = Symbol('API_REDIS');
export const API_KAFKA_ADMIN = Symbol('API_KAFKA_ADMIN');
/** The rolling profiles in Redis (RedisProfileStore under PROFILE_KEY_PREFIX), read only. */
export const API_PROFILE_STORE = Symbol('API_PROFILE_STORE');
