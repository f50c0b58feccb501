import { createHash } from 'node:crypto';
import { ApiError, ApiErrorCode, validationFailed } from './api-error';

/**
 * Idempotent writes, the pure half (the store is `adapters/idempotency-store.ts`): every write
 * takes an `Idempotency-Key` header; the same key with the same request gives the first
 * answer again and no second effect; the same key with another request is a 409.
 */

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Long enough for a UUID, a ULID or `<requestId>-<attempt>`, short enough to index cheaply. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** Printable ASCII without spaces: what a header carries safely and a log line shows as it is. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]+$/;

export const IDEMPOTENCY_SCOPE_MAX_LENGTH = 512;

/**
 * How long a key is remembered: the contract's dedupe horizon for everything that moves money
 * (30 days). A retry after that is a new request. `purgeIdempotencyKeys` deletes older keys.
 */
export const IDEMPOTENCY_RETENTION_MS = 30 * 24 * 60 * 60 * 1_000;

/** The `Idempotency-Key` header's value, checked; a 400 naming the header otherwise. */
export function parseIdempotencyKey(raw: string | readonly string[] | undefined): string {
  if (Array.isArray(raw) && raw.length > 1)
    throw validationFailed(`${IDEMPOTENCY_KEY_HEADER}: send it once, not ${raw.length} times`);
  const value = Array.isArray(raw) ? (raw[0] as string | undefined) : (raw as string | undefined);
  if (value === undefined || value.trim() === '')
    throw validationFailed(
      `${IDEMPOTENCY_KEY_HEADER}: required on this write (a unique value per operation, e.g. a UUID; resend the same value to retry it)`,
    );
  if (value.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    throw validationFailed(
      `${IDEMPOTENCY_KEY_HEADER}: at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters, got ${value.length}`,
    );
  if (!IDEMPOTENCY_KEY_PATTERN.test(value))
    throw validationFailed(`${IDEMPOTENCY_KEY_HEADER}: only printable ASCII characters without spaces`);
  return value;
}

export function assertIdempotencyScope(scope: string): void {
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > IDEMPOTENCY_SCOPE_MAX_LENGTH)
    throw new RangeError(
      `an idempotency scope is 1-${IDEMPOTENCY_SCOPE_MAX_LENGTH} characters, got ${JSON.stringify(scope)}`,
    );
}

export interface FingerprintedRequest {
  readonly method: string;
  /** The path as requested, without the query string: `/v1/merchants/m-1/drawdowns`. */
  readonly path: string;
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown;
}

/**
 * SHA-256 (hex) of the method, the path and the body in canonical JSON (object keys sorted at
 * every depth), so that the same request sent with its fields in another order, or with other
 * whitespace, has the same fingerprint, and any change of a value has another one.
 */
export function requestFingerprint(request: FingerprintedRequest): string {
  const body = request.body === undefined ? '' : canonicalJson(request.body);
  return createHash('sha256')
    .update(`${request.method.toUpperCase()}\n${request.path}\n${body}`, 'utf8')
    .digest('hex');
}

/** JSON with object keys sorted at every depth; refuses what JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
}

/** The same key was used before for another request (another body, path or method). */
export const idempotencyKeyReused = (): ApiError =>
  new ApiError(
    409,
    ApiErrorCode.IDEMPOTENCY_KEY_REUSED,
    `${IDEMPOTENCY_KEY_HEADER}: already used for a different request; use a new key for a new operation`,
  );

/** The first request with this key is still running after the wait bound; retry shortly. */
export const idempotencyKeyInProgress = (retryAfterSeconds: number): ApiError =>
  new ApiError(
    409,
    ApiErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
    `${IDEMPOTENCY_KEY_HEADER}: a request with this key is still being processed; retry in ${retryAfterSeconds} s`,
    { 'Retry-After': String(retryAfterSeconds) },
  );

/** The oldest creation time a purge keeps: keys younger than the retention still dedupe. */
export const idempotencyPurgeCutoff = (now: Date): Date => new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS);
