/**
 * The one shape every error of the ops API has (CONTRACT.md, "Ops REST API"):
 * `{ "error": { "code": "...", "message": "..." } }` with a fitting HTTP status. Codes are
 * stable and machine-readable; messages are for people and may change.
 *
 * Pure: handlers, guards, pipes and adapters throw an ApiError; one exception filter turns it
 * (and anything else) into the response.
 */

/** The codes the platform itself answers with; a route may add its own (e.g. `LINE_NOT_ACTIVE`). */
export const ApiErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'IDEMPOTENCY_KEY_IN_PROGRESS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE: 'UNPROCESSABLE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  AUTH_UNAVAILABLE: 'AUTH_UNAVAILABLE',
  NOT_READY: 'NOT_READY',
} as const;

/** Upper snake case, so a client can switch on it: `IDEMPOTENCY_KEY_REUSED`. */
const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** An error the API answers with as it is: status, code and message are safe to show the caller. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Response headers that belong to this error (`WWW-Authenticate`, `Retry-After`…). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new RangeError(`an ApiError's status is 400-599, got ${status}`);
    if (!ERROR_CODE_PATTERN.test(code))
      throw new RangeError(`an ApiError's code is UPPER_SNAKE_CASE, got ${JSON.stringify(code)}`);
  }

  get body(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

/** The code an HTTP status gets when nothing more specific is known (a framework's own 404…). */
export function defaultCodeForStatus(status: number): string {
  switch (status) {
    case 400:
      return ApiErrorCode.BAD_REQUEST;
    case 401:
      return ApiErrorCode.UNAUTHENTICATED;
    case 403:
      return ApiErrorCode.FORBIDDEN;
    case 404:
      return ApiErrorCode.NOT_FOUND;
    case 405:
      return ApiErrorCode.METHOD_NOT_ALLOWED;
    case 409:
      return ApiErrorCode.CONFLICT;
    case 413:
      return ApiErrorCode.PAYLOAD_TOO_LARGE;
    case 415:
      return ApiErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 422:
      return ApiErrorCode.UNPROCESSABLE;
    case 429:
      return ApiErrorCode.TOO_MANY_REQUESTS;
    case 503:
      return ApiErrorCode.SERVICE_UNAVAILABLE;
    default:
      return status >= 500 ? ApiErrorCode.INTERNAL_ERROR : ApiErrorCode.BAD_REQUEST;
  }
}

export const notFound = (message: string): ApiError => new ApiError(404, ApiErrorCode.NOT_FOUND, message);

export const validationFailed = (message: string): ApiError =>
  new ApiError(400, ApiErrorCode.VALIDATION_FAILED, message);
