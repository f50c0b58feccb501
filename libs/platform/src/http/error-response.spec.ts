import { ApiError, ApiErrorCode, defaultCodeForStatus } from './api-error';
import { errorResponseOf } from './error-response';

const reference = () => 'ref-1';

/** body-parser's errors, as raw-body / http-errors shape them. */
const parserError = (type: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { type, status: 400, expose: true, ...extra });

describe('errorResponseOf', () => {
  it('answers an ApiError as it is, with its headers', () => {
    const error = new ApiError(401, ApiErrorCode.UNAUTHENTICATED, 'no token', {
      'WWW-Authenticate': 'Bearer',
    });
    expect(errorResponseOf(error, reference)).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: 'no token' } },
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  });

  it.each<[string, unknown, number, string, string]>([
    [
      'malformed JSON',
      parserError('entity.parse.failed', "Expected property name or '}' in JSON at position 1"),
      400,
      ApiErrorCode.MALFORMED_JSON,
      "body: not valid JSON (Expected property name or '}' in JSON at position 1)",
    ],
    [
      'a body over the limit',
      parserError('entity.too.large', 'request entity too large', { limit: 65_536 }),
      413,
      ApiErrorCode.PAYLOAD_TOO_LARGE,
      'body: larger than the limit of 65536 bytes',
    ],
    [
      'an unknown charset',
      parserError('charset.unsupported', 'unsupported charset "LATIN-9"'),
      415,
      ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'body: unsupported charset "LATIN-9"',
    ],
    [
      'an unknown encoding',
      parserError('encoding.unsupported', 'unsupported content encoding "br"'),
      415,
      ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'body: unsupported content encoding "br"',
    ],
    [
      'an aborted request',
      parserError('request.aborted', 'request aborted'),
      400,
      ApiErrorCode.BAD_REQUEST,
      'body: the request was aborted before it was read whole',
    ],
    [
      'a wrong Content-Length',
      parserError('request.size.invalid', 'request size did not match content length'),
      400,
      ApiErrorCode.BAD_REQUEST,
      'body: its length does not match Content-Length',
    ],
  ])('answers %s in the contract format', (_case, error, status, code, message) => {
    expect(errorResponseOf(error, reference)).toEqual({
      status,
      body: { error: { code, message } },
      headers: {},
    });
  });

  it.each<[string, unknown, string]>([
    [
      'an Error',
      new Error('relation "credit_lines" does not exist'),
      'relation "credit_lines" does not exist',
    ],
    [
      'a TypeError',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      "Cannot read properties of undefined (reading 'x')",
    ],
    ['a thrown string', 'boom', 'non-Error thrown: "boom"'],
    [
      'an unknown body-parser type',
      parserError('stream.encoding.set', 'stream encoding should not be set'),
      'stream encoding should not be set',
    ],
  ])(
    'hides %s behind a generic 500 with a reference; the detail is for the logs only',
    (_case, error, detail) => {
      const answer = errorResponseOf(error, reference);
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        error: {
          code: 'INTERNAL_ERROR',
          message: 'The request failed on our side; quote reference ref-1 to an operator.',
        },
      });
      expect(JSON.stringify(answer.body)).not.toContain(detail);
      expect(answer.unexpected).toEqual({ reference: 'ref-1', detail: expect.stringContaining(detail) });
    },
  );
});

describe('ApiError', () => {
  it.each([
    [399, 'X'],
    [600, 'X'],
    [404, 'not-upper'],
    [404, ''],
  ])('refuses status %i with code %j', (status, code) => {
    expect(() => new ApiError(status, code, 'm')).toThrow(RangeError);
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [405, 'METHOD_NOT_ALLOWED'],
    [409, 'CONFLICT'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
    [418, 'BAD_REQUEST'],
    [422, 'UNPROCESSABLE'],
    [429, 'TOO_MANY_REQUESTS'],
    [502, 'INTERNAL_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('status %i defaults to %s', (status, code) => {
    expect(defaultCodeForStatus(status)).toBe(code);
  });
});
