import { ApiError, ApiErrorCode, ErrorBody, errorBody } from './api-error';

/** What the API answers for a thrown value, and what (if anything) only the logs may see. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Set for a failure the API did not expect (a 500): its detail (message, stack) goes to the
   * logs under `reference`, never to the caller, who gets the reference to quote.
   */
  readonly unexpected?: { readonly reference: string; readonly detail: string };
}

/**
 * The errors Express's body parser (body-parser / http-errors) raises, by their `type`. They
 * carry a status and a message written for the client; anything else is unexpected.
 */
interface BodyParserError {
  readonly type: string;
  readonly message: string;
  readonly limit?: unknown;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { type?: unknown }).type === 'string' &&
  typeof (error as { message?: unknown }).message === 'string';

/**
 * Maps anything a request may throw onto the contract's error body. Pure; `newReference`
 * names an unexpected failure so that an operator can find its detail in the logs.
 */
export function errorResponseOf(error: unknown, newReference: () => string): ErrorResponse {
  if (error instanceof ApiError) return { status: error.status, body: error.body, headers: error.headers };
  if (isBodyParserError(error)) {
    const known = bodyParserResponse(error);
    if (known !== undefined) return known;
  }
  const reference = newReference();
  return {
    status: 500,
    body: errorBody(
      ApiErrorCode.INTERNAL_ERROR,
      `The request failed on our side; quote reference ${reference} to an operator.`,
    ),
    headers: {},
    unexpected: { reference, detail: describeUnexpected(error) },
  };
}

function bodyParserResponse(error: BodyParserError): ErrorResponse | undefined {
  const answer = (status: number, code: string, message: string): ErrorResponse => ({
    status,
    body: errorBody(code, message),
    headers: {},
  });
  switch (error.type) {
    case 'entity.parse.failed':
      return answer(400, ApiErrorCode.MALFORMED_JSON, `body: not valid JSON (${error.message})`);
    case 'entity.too.large':
      return answer(
        413,
        ApiErrorCode.PAYLOAD_TOO_LARGE,
        typeof error.limit === 'number'
          ? `body: larger than the limit of ${error.limit} bytes`
          : 'body: larger than the limit',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(415, ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, `body: ${error.message}`);
    case 'request.aborted':
      return answer(400, ApiErrorCode.BAD_REQUEST, 'body: the request was aborted before it was read whole');
    case 'request.size.invalid':
      return answer(400, ApiErrorCode.BAD_REQUEST, 'body: its length does not match Content-Length');
    default:
      return undefined;
  }
}

function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return `non-Error thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-Error thrown: ${String(error)}`;
  }
}
