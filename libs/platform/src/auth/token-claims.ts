import type { Principal } from './roles';

/**
 * The checks of a JWT that need no key (RFC 7519): its header's algorithm, its times, its
 * issuer and audience, its subject and its roles. The signature is checked by the verifier
 * adapter (jose); everything here is pure and takes the time as an argument.
 */

export interface TokenPolicy {
  /** The only `alg` values accepted; `none` never is. */
  readonly algorithms: readonly string[];
  /** When set, `iss` must equal it. */
  readonly issuer?: string;
  /** When set, `aud` must be it or a list holding it. */
  readonly audience?: string;
  /** Leeway for clocks that disagree, on `exp` and `nbf`. */
  readonly clockToleranceSeconds: number;
}

export const TokenRejectionCode = {
  MALFORMED: 'TOKEN_MALFORMED',
  ALGORITHM_NOT_ALLOWED: 'TOKEN_ALGORITHM_NOT_ALLOWED',
  SIGNATURE_INVALID: 'TOKEN_SIGNATURE_INVALID',
  EXPIRED: 'TOKEN_EXPIRED',
  NOT_YET_VALID: 'TOKEN_NOT_YET_VALID',
  ISSUER_MISMATCH: 'TOKEN_ISSUER_MISMATCH',
  AUDIENCE_MISMATCH: 'TOKEN_AUDIENCE_MISMATCH',
  CLAIM_INVALID: 'TOKEN_CLAIM_INVALID',
} as const;
export type TokenRejectionCode = (typeof TokenRejectionCode)[keyof typeof TokenRejectionCode];

/** Why a token was refused; the message is safe to give back to the caller. */
export interface TokenRejection {
  readonly code: TokenRejectionCode;
  readonly message: string;
}

export type TokenCheck<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejection: TokenRejection };

const reject = (code: TokenRejectionCode, message: string): TokenCheck<never> => ({
  ok: false,
  rejection: { code, message },
});

export interface TokenHeader {
  readonly alg: string;
  readonly kid?: string;
}

/** A subject longer than this is not an identity anyone uses. */
export const SUBJECT_MAX_LENGTH = 255;
export const ROLES_MAX = 100;
export const ROLE_NAME_MAX_LENGTH = 128;

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Reads a compact JWS's protected header (`<header>.<payload>.<signature>`) and checks its
 * algorithm against the policy, before any key is looked up: a token signed with `none`, or
 * with HS256 where RS256 is expected (the algorithm-confusion attack), stops here.
 */
export function checkTokenHeader(token: string, policy: TokenPolicy): TokenCheck<TokenHeader> {
  const segments = token.split('.');
  if (segments.length !== 3)
    return reject(
      TokenRejectionCode.MALFORMED,
      'the bearer token is not a JWT (expected three dot-separated parts)',
    );
  const [header, payload] = segments as [string, string, string];
  if (!BASE64URL_SEGMENT.test(header) || !BASE64URL_SEGMENT.test(payload))
    return reject(
      TokenRejectionCode.MALFORMED,
      'the bearer token is not a JWT (its parts are not base64url)',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return reject(TokenRejectionCode.MALFORMED, 'the bearer token is not a JWT (its header is not JSON)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return reject(
      TokenRejectionCode.MALFORMED,
      'the bearer token is not a JWT (its header is not an object)',
    );
  const { alg, kid } = parsed as { alg?: unknown; kid?: unknown };
  if (typeof alg !== 'string')
    return reject(TokenRejectionCode.MALFORMED, 'the bearer token names no signing algorithm (alg)');
  if (alg.toLowerCase() === 'none' || !policy.algorithms.includes(alg))
    return reject(
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
      `the bearer token is signed with ${JSON.stringify(alg)}; this API accepts ${policy.algorithms.join(', ')}`,
    );
  if (kid !== undefined && typeof kid !== 'string')
    return reject(TokenRejectionCode.MALFORMED, 'the bearer token header has a kid that is not a string');
  return { ok: true, value: kid === undefined ? { alg } : { alg, kid } };
}

/**
 * Checks a signature-verified token's claims at `nowMs` and returns its principal:
 * `exp` required (a token that never expires is refused) and not past, `nbf` not ahead (both
 * with the clock tolerance), `iss` and `aud` as the policy says, `sub` a non-empty string, and
 * `roles` an array of strings (required: a token without roles is not a token for this API).
 */
export function checkTokenClaims(
  payload: unknown,
  policy: TokenPolicy,
  nowMs: number,
): TokenCheck<Principal> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return reject(TokenRejectionCode.MALFORMED, 'the bearer token carries no claims object');
  const claims = payload as Record<string, unknown>;
  const now = nowMs / 1_000;
  const tolerance = policy.clockToleranceSeconds;

  const { exp, nbf, iat } = claims;
  if (exp === undefined)
    return reject(TokenRejectionCode.CLAIM_INVALID, 'the bearer token has no expiry (exp)');
  if (!isNumericDate(exp))
    return reject(TokenRejectionCode.CLAIM_INVALID, 'the bearer token exp is not a number of seconds');
  if (nbf !== undefined && !isNumericDate(nbf))
    return reject(TokenRejectionCode.CLAIM_INVALID, 'the bearer token nbf is not a number of seconds');
  if (iat !== undefined && !isNumericDate(iat))
    return reject(TokenRejectionCode.CLAIM_INVALID, 'the bearer token iat is not a number of seconds');
  if (exp <= now - tolerance)
    return reject(TokenRejectionCode.EXPIRED, `the bearer token expired at ${isoOf(exp)}`);
  if (nbf !== undefined && nbf > now + tolerance)
    return reject(TokenRejectionCode.NOT_YET_VALID, `the bearer token is not valid before ${isoOf(nbf)}`);

  if (policy.issuer !== undefined && claims.iss !== policy.issuer)
    return reject(
      TokenRejectionCode.ISSUER_MISMATCH,
      'the bearer token was not issued by the issuer this API trusts',
    );
  if (policy.audience !== undefined && !audienceHolds(claims.aud, policy.audience))
    return reject(TokenRejectionCode.AUDIENCE_MISMATCH, 'the bearer token is not meant for this API (aud)');

  const { sub, roles } = claims;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > SUBJECT_MAX_LENGTH)
    return reject(
      TokenRejectionCode.CLAIM_INVALID,
      `the bearer token needs a subject (sub) of 1-${SUBJECT_MAX_LENGTH} characters`,
    );
  if (roles === undefined)
    return reject(TokenRejectionCode.CLAIM_INVALID, 'the bearer token has no roles claim');
  if (!Array.isArray(roles))
    return reject(
      TokenRejectionCode.CLAIM_INVALID,
      'the bearer token roles claim is not an array of strings',
    );
  if (roles.length > ROLES_MAX)
    return reject(TokenRejectionCode.CLAIM_INVALID, `the bearer token holds more than ${ROLES_MAX} roles`);
  if (
    !roles.every((role) => typeof role === 'string' && role.length > 0 && role.length <= ROLE_NAME_MAX_LENGTH)
  )
    return reject(
      TokenRejectionCode.CLAIM_INVALID,
      `the bearer token roles claim is not an array of strings of 1-${ROLE_NAME_MAX_LENGTH} characters`,
    );
  return { ok: true, value: { subject: sub, roles: [...new Set(roles as string[])] } };
}

const isNumericDate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

const audienceHolds = (aud: unknown, audience: string): boolean =>
  aud === audience || (Array.isArray(aud) && aud.includes(audience));

function isoOf(seconds: number): string {
  const date = new Date(seconds * 1_000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}
