/**
 * The `Authorization: Bearer <token>` header (RFC 6750), read. Pure.
 */

/** A JWT from a real issuer is 1-2 KiB; far beyond that is an attack or a mistake. */
export const BEARER_TOKEN_MAX_LENGTH = 8_192;

/** RFC 6750's b64token: what a bearer token may be made of. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export type BearerTokenResult =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

export function bearerTokenOf(authorization: string | undefined): BearerTokenResult {
  if (authorization === undefined || authorization.trim() === '')
    return {
      ok: false,
      missing: true,
      message: 'this route needs a bearer token (Authorization: Bearer <jwt>)',
    };
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
  if (match === null)
    return {
      ok: false,
      missing: false,
      message: 'the Authorization header must be "Bearer <jwt>"',
    };
  const token = match[1]!;
  if (token.length > BEARER_TOKEN_MAX_LENGTH)
    return {
      ok: false,
      missing: false,
      message: `the bearer token is longer than ${BEARER_TOKEN_MAX_LENGTH} characters`,
    };
  if (!B64TOKEN.test(token))
    return { ok: false, missing: false, message: 'the bearer token holds characters a token cannot' };
  return { ok: true, token };
}
