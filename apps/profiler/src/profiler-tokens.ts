/** Injection tokens of the profiler's own providers. */
export const PROFILER_OPTIONS = Symbol('PROFILER_OPTIONS');
export const PROFILE_REDIS = Symbol('PROFILE_REDIS');
