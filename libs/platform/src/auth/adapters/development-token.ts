import { SignJWT } from 'jose';

export interface DevelopmentTokenRequest {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly ttlSeconds: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * An HS256 token as the API's development mode accepts it (`npm run token`, tests):
 * `sub`, `roles`, `iat`, `exp` (and `iss`/`aud` when given), signed with `secret`.
 */
export async function signHs256Token(
  request: DevelopmentTokenRequest,
  secret: string,
  nowMs: number,
): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1_000);
  let jwt = new SignJWT({ roles: [...request.roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds);
  if (request.issuer !== undefined) jwt = jwt.setIssuer(request.issuer);
  if (request.audience !== undefined) jwt = jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
