import { compactVerify, createRemoteJWKSet, errors, type CompactVerifyGetKey } from 'jose';
import type { AuthSettings } from '../auth-config';
import type { Principal } from '../roles';
import { checkTokenClaims, checkTokenHeader, TokenRejection, TokenRejectionCode } from '../token-claims';

/** Injection token of the TokenVerifier (AuthModule provides it). */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export type TokenVerification =
  | { readonly ok: true; readonly principal: Principal }
  /** The token is at fault: a 401. */
  | { readonly ok: false; readonly kind: 'invalid'; readonly rejection: TokenRejection }
  /** The keys could not be had (the identity provider is down or answers nonsense): a 503. */
  | { readonly ok: false; readonly kind: 'unavailable'; readonly detail: string };

export interface TokenVerifier {
  verify(token: string, nowMs: number): Promise<TokenVerification>;
}

export interface JwksFetchOptions {
  /** A key-set request that takes longer fails (default 5 000 ms). */
  readonly timeoutMs?: number;
  /** A token with an unknown `kid` refetches the set at most this often (default 30 000 ms). */
  readonly cooldownMs?: number;
  /** The set is refetched once it is this old (default 10 minutes): key rotation. */
  readonly cacheMaxAgeMs?: number;
}

/** jose's errors that mean "this token is bad", as opposed to "the keys could not be had". */
const TOKEN_FAULTS = new Set<string>([
  errors.JWSSignatureVerificationFailed.code,
  errors.JWSInvalid.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

/**
 * Verifies bearer JWTs as the settings say: the header's algorithm first (pure, before any
 * key is touched), then the signature with jose (HS256 against the secret, or RS256/ES256
 * against the issuer's JWKS, fetched, cached and refetched on rotation by jose), then the
 * claims (pure, at `nowMs`).
 */
export function createTokenVerifier(settings: AuthSettings, jwks: JwksFetchOptions = {}): TokenVerifier {
  const key: Uint8Array | CompactVerifyGetKey =
    settings.mode === 'hs256'
      ? new TextEncoder().encode(settings.secret)
      : createRemoteJWKSet(new URL(settings.jwksUrl), {
          timeoutDuration: jwks.timeoutMs ?? 5_000,
          cooldownDuration: jwks.cooldownMs ?? 30_000,
          cacheMaxAge: jwks.cacheMaxAgeMs ?? 600_000,
        });
  const { policy } = settings;

  return {
    async verify(token, nowMs) {
      const header = checkTokenHeader(token, policy);
      if (!header.ok) return { ok: false, kind: 'invalid', rejection: header.rejection };
      let payload: Uint8Array;
      try {
        // Two overloads (a key, or a function of the header): the call is the same.
        ({ payload } =
          key instanceof Uint8Array
            ? await compactVerify(token, key, { algorithms: [...policy.algorithms] })
            : await compactVerify(token, key, { algorithms: [...policy.algorithms] }));
      } catch (error) {
        if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code))
          return { ok: false, kind: 'invalid', rejection: signatureRejection(error) };
        return { ok: false, kind: 'unavailable', detail: describe(error) };
      }
      let claims: unknown;
      try {
        claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
      } catch {
        return {
          ok: false,
          kind: 'invalid',
          rejection: { code: TokenRejectionCode.MALFORMED, message: 'the bearer token claims are not JSON' },
        };
      }
      const checked = checkTokenClaims(claims, policy, nowMs);
      return checked.ok
        ? { ok: true, principal: checked.value }
        : { ok: false, kind: 'invalid', rejection: checked.rejection };
    },
  };
}

function signatureRejection(error: InstanceType<typeof errors.JOSEError>): TokenRejection {
  if (error.code === errors.JWKSNoMatchingKey.code)
    return {
      code: TokenRejectionCode.SIGNATURE_INVALID,
      message: 'the bearer token is signed with a key the issuer does not publish',
    };
  if (error.code === errors.JWSInvalid.code)
    return { code: TokenRejectionCode.MALFORMED, message: 'the bearer token is not a valid JWS' };
  return {
    code: TokenRejectionCode.SIGNATURE_INVALID,
    message: 'the bearer token signature does not verify',
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
