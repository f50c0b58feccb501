import { ApiError, ApiErrorCode } from './api-error';

/**
 * Rate limits of the ops API (issue 5), the pure half: which budget a request spends from, and
 * how a refusal reads. The counting is in Redis (adapters/redis-rate-limiter.ts), so the limits
 * hold across replicas.
 *
 * A caller with a valid bearer token spends from its own budget (by the token's subject) per
 * route class: reads (GET, HEAD) and writes (POST, PUT, PATCH, DELETE) apart, so a dashboard
 * that polls cannot starve an operator's freeze. A request without a valid token (the public
 * docs, or a refused token) spends from its client address's anonymous budget, so a flood of
 * bad tokens is limited too. Health and metrics are exempt: probes and scrapers must always
 * get through.
 */
export type RateLimitClass = 'read' | 'write' | 'anonymous';

export interface RateLimitSettings {
  /** The window the limits are counted over, in ms (API_RATE_LIMIT_WINDOW_MS). */
  readonly windowMs: number;
  /** Reads per window per principal (API_RATE_LIMIT_READS); 0 = unlimited. */
  readonly reads: number;
  /** Writes per window per principal (API_RATE_LIMIT_WRITES); 0 = unlimited. */
  readonly writes: number;
  /** Requests without a valid token per window per client address (API_RATE_LIMIT_ANONYMOUS); 0 = unlimited. */
  readonly anonymous: number;
  /** Namespace of the limiter's Redis keys (API_RATE_LIMIT_KEY_PREFIX). */
  readonly keyPrefix: string;
}

export const RATE_LIMIT_DEFAULTS = {
  windowMs: 60_000,
  reads: 600,
  writes: 60,
  anonymous: 60,
  keyPrefix: 'ratelimit',
} as const satisfies RateLimitSettings;

/** Paths no limit applies to: liveness, readiness and metrics. */
const EXEMPT_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The route class of an authenticated request, or 'exempt'. `path` is without the query string. */
export function routeClassOf(method: string, path: string): 'exempt' | 'read' | 'write' {
  const upper = method.toUpperCase();
  if (upper === 'OPTIONS' || EXEMPT_PATHS.has(path.replace(/\/+$/, '') || '/')) return 'exempt';
  return WRITE_METHODS.has(upper) ? 'write' : 'read';
}

/** Who spends: a verified token's subject, or the client's address when there is no valid token. */
export type RateLimitIdentity =
  | { readonly kind: 'principal'; readonly subject: string }
  | { readonly kind: 'address'; readonly address: string };

export interface RateLimitBucket {
  /** The Redis key (without its TTL: the limiter sets one). */
  readonly key: string;
  readonly rateClass: RateLimitClass;
  /** Requests per window; 0 = unlimited. */
  readonly limit: number;
}

/** The bucket a request spends from; undefined when no limit applies to it. */
export function rateLimitBucket(
  settings: RateLimitSettings,
  routeClass: 'exempt' | 'read' | 'write',
  identity: RateLimitIdentity,
): RateLimitBucket | undefined {
  if (routeClass === 'exempt') return undefined;
  const rateClass: RateLimitClass = identity.kind === 'address' ? 'anonymous' : routeClass;
  const limit =
    rateClass === 'anonymous' ? settings.anonymous : rateClass === 'write' ? settings.writes : settings.reads;
  if (limit === 0) return undefined;
  const who = identity.kind === 'principal' ? `sub:${identity.subject}` : `ip:${identity.address}`;
  return { key: `${settings.keyPrefix}:${rateClass}:${who}`, rateClass, limit };
}

/** Whole seconds to wait (at least 1), for `Retry-After`. */
export const retryAfterSeconds = (retryAfterMs: number): number =>
  Math.max(1, Math.ceil(retryAfterMs / 1_000));

const describeClass = (rateClass: RateLimitClass): string =>
  rateClass === 'anonymous'
    ? 'requests without a valid token from this address'
    : `${rateClass}s by this caller`;

/** The 429 of the contract's error format, with `Retry-After`. */
export function tooManyRequests(bucket: RateLimitBucket, windowMs: number, retryAfterMs: number): ApiError {
  const seconds = retryAfterSeconds(retryAfterMs);
  return new ApiError(
    429,
    ApiErrorCode.TOO_MANY_REQUESTS,
    `rate limit: at most ${bucket.limit} ${describeClass(bucket.rateClass)} per ${windowMs / 1_000} s; retry in ${seconds} s`,
    { 'Retry-After': String(seconds) },
  );
}
