/**
 * The API in production's auth mode: RS256/ES256 tokens checked against an issuer's JWKS (a
 * key set served here by a local HTTP server, tokens signed with jose), with issuer and
 * audience checked; development HS256 tokens refused. CORS is configured in this process, so
 * it is checked here too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { DEVELOPMENT_JWT_SECRET } from '../../libs/platform/src/auth/auth-config';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(120_000);

const ISSUER = 'https://id.lendstream.test/';
const AUDIENCE = 'lendstream-ops-api';
const ALLOWED_ORIGIN = 'https://ops.lendstream.test';
const ROUTE = '/v1/merchants/m-jwks/decisions';

interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

describe('the ops API against a JWKS (RS256/ES256, issuer and audience checked)', () => {
  let jwksServer: Server;
  let database: ApiTestDatabase;
  let api: ApiProcess;
  let rsa: SigningKey;
  let ec: SigningKey;
  let unpublished: SigningKey;
  let jwksRequests = 0;

  const keyPair = async (alg: string, kid: string): Promise<SigningKey> => {
    const pair = await generateKeyPair(alg);
    return {
      privateKey: pair.privateKey,
      publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' },
    };
  };
  const sign = (
    key: SigningKey,
    alg: string,
    {
      roles = ['ops:read'],
      issuer = ISSUER,
      audience = AUDIENCE,
    }: { roles?: string[]; issuer?: string; audience?: string } = {},
  ) =>
    new SignJWT({ roles })
      .setProtectedHeader({ alg, kid: key.publicJwk.kid! })
      .setSubject('svc-risk-reports')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key.privateKey);

  beforeAll(async () => {
    rsa = await keyPair('RS256', 'rsa-2026');
    ec = await keyPair('ES256', 'ec-2026');
    unpublished = await keyPair('RS256', 'rsa-2026');
    jwksServer = createServer((request, response) => {
      jwksRequests += 1;
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    database = await ApiTestDatabase.create('jwks');
    api = await ApiProcess.start({
      DATABASE_URL: database.url,
      AUTH_JWKS_URL: jwksUrl,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      API_CORS_ORIGINS: ALLOWED_ORIGIN,
    });
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await database?.cleanup();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('logs which tokens it accepts', () => {
    expect(api.service.logged(`bearer JWTs RS256/ES256 from the key set at http://127.0.0.1:`)).toBe(true);
  });

  it.each(['RS256', 'ES256'])('accepts a %s token from the issuer, fetching the key set', async (alg) => {
    const response = await api.request(ROUTE, { token: await sign(alg === 'RS256' ? rsa : ec, alg) });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('still applies the roles: 403 without ops:read', async () => {
    const response = await api.request(ROUTE, { token: await sign(rsa, 'RS256', { roles: ['treasury'] }) });
    expect(response.status).toBe(403);
  });

  it.each<[string, () => Promise<string>, string]>([
    [
      'from another issuer',
      () => sign(rsa, 'RS256', { issuer: 'https://evil.test/' }),
      'not issued by the issuer this API trusts',
    ],
    ['for another audience', () => sign(ec, 'ES256', { audience: 'another-api' }), 'not meant for this API'],
    [
      'signed by a key the issuer does not publish',
      () => sign(unpublished, 'RS256'),
      'signature does not verify',
    ],
    [
      'HS256 with the development secret',
      () =>
        signHs256Token(
          { subject: 'alice', roles: ['ops:read'], ttlSeconds: 600, issuer: ISSUER, audience: AUDIENCE },
          DEVELOPMENT_JWT_SECRET,
          Date.now(),
        ),
      'signed with "HS256"; this API accepts RS256, ES256',
    ],
  ])('refuses a token %s with a 401', async (_case, makeToken, message) => {
    const response = await api.request(ROUTE, { token: await makeToken() });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: expect.stringContaining(message) },
    });
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers CORS for the configured origin only', async () => {
    const preflight = (origin: string) =>
      api.request(ROUTE, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Authorization');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
