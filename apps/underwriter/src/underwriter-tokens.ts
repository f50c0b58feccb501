/** Injection tokens of the underwriter's own providers. */
export const UNDERWRITER_OPTIONS = Symbol('UNDERWRITER_OPTIONS');
export const UNDERWRITER_REDIS = Symbol('UNDERWRITER_REDIS');
export const UNDERWRITER_PROFILES = Symbol('UNDERWRITER_PROFILES');
