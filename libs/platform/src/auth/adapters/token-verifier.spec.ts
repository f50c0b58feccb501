import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { AuthSettings } from '../auth-config';
import { TokenRejectionCode } from '../token-claims';
import { signHs256Token } from './development-token';
import { createTokenVerifier, type TokenVerification } from './token-verifier';

const NOW_MS = Date.now();
const SECRET = 'a-test-secret-of-at-least-32-characters!!';
const hs256: AuthSettings = {
  mode: 'hs256',
  secret: SECRET,
  usesDevelopmentSecret: false,
  policy: { algorithms: ['HS256'], clockToleranceSeconds: 30 },
};
const alice = { subject: 'alice', roles: ['ops:read'], ttlSeconds: 600 };

const rejectionOf = (verification: TokenVerification) =>
  verification.ok
    ? undefined
    : verification.kind === 'invalid'
      ? verification.rejection.code
      : verification.kind;

describe('createTokenVerifier, HS256', () => {
  const verifier = createTokenVerifier(hs256);

  it('accepts a token signed with the secret and returns its principal', async () => {
    const token = await signHs256Token(alice, SECRET, NOW_MS);
    expect(await verifier.verify(token, NOW_MS)).toEqual({
      ok: true,
      principal: { subject: 'alice', roles: ['ops:read'] },
    });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signHs256Token(alice, `${SECRET}-other`, NOW_MS);
    expect(rejectionOf(await verifier.verify(token, NOW_MS))).toBe(TokenRejectionCode.SIGNATURE_INVALID);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signHs256Token(alice, SECRET, NOW_MS)).split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'alice', roles: ['treasury'], exp: NOW_MS / 1_000 + 600 }),
    ).toString('base64url');
    expect(rejectionOf(await verifier.verify(`${header}.${forged}.${signature}`, NOW_MS))).toBe(
      TokenRejectionCode.SIGNATURE_INVALID,
    );
  });

  it('refuses an unsigned token (alg none), with or without a signature part', async () => {
    const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${segment({ alg: 'none' })}.${segment({ sub: 'mallory', roles: ['treasury'], exp: NOW_MS / 1_000 + 60 })}.`;
    expect(rejectionOf(await verifier.verify(unsigned, NOW_MS))).toBe(
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
    );
    expect(rejectionOf(await verifier.verify(`${unsigned}c2ln`, NOW_MS))).toBe(
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
    );
  });

  it('checks the claims at the given time: expired an hour later', async () => {
    const token = await signHs256Token(alice, SECRET, NOW_MS);
    expect(rejectionOf(await verifier.verify(token, NOW_MS + 3_600_000))).toBe(TokenRejectionCode.EXPIRED);
  });

  it('checks issuer and audience when the settings name them', async () => {
    const strict = createTokenVerifier({
      ...hs256,
      policy: { ...hs256.policy, issuer: 'me', audience: 'api' },
    });
    const right = await signHs256Token({ ...alice, issuer: 'me', audience: 'api' }, SECRET, NOW_MS);
    const wrong = await signHs256Token({ ...alice, issuer: 'me', audience: 'other' }, SECRET, NOW_MS);
    expect((await strict.verify(right, NOW_MS)).ok).toBe(true);
    expect(rejectionOf(await strict.verify(wrong, NOW_MS))).toBe(TokenRejectionCode.AUDIENCE_MISMATCH);
  });
});

describe('createTokenVerifier, JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let rsa: { privateKey: CryptoKey; publicJwk: JWK };
  let ec: { privateKey: CryptoKey; publicJwk: JWK };
  let stranger: CryptoKey;
  let served: () => { keys: JWK[] } | 'broken';

  const settings = (): AuthSettings => ({
    mode: 'jwks',
    jwksUrl,
    policy: {
      algorithms: ['RS256', 'ES256'],
      issuer: 'https://id.test/',
      audience: 'lendstream-api',
      clockToleranceSeconds: 30,
    },
  });
  const sign = (
    key: CryptoKey,
    alg: string,
    kid: string,
    { issuer = 'https://id.test/', audience = 'lendstream-api' } = {},
  ) =>
    new SignJWT({ roles: ['ops:read'] })
      .setProtectedHeader({ alg, kid })
      .setSubject('svc-reporting')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  beforeAll(async () => {
    const keyPair = async (alg: string, kid: string) => {
      const pair = await generateKeyPair(alg);
      return {
        privateKey: pair.privateKey,
        publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' },
      };
    };
    rsa = await keyPair('RS256', 'rsa-1');
    ec = await keyPair('ES256', 'ec-1');
    stranger = (await generateKeyPair('RS256')).privateKey;
    served = () => ({ keys: [rsa.publicJwk, ec.publicJwk] });
    server = createServer((_request, response) => {
      const body = served();
      response.writeHead(body === 'broken' ? 500 : 200, { 'content-type': 'application/json' });
      response.end(body === 'broken' ? 'oops' : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each(['RS256', 'ES256'])('accepts a %s token from the key set', async (alg) => {
    const verifier = createTokenVerifier(settings());
    const token = await sign(
      alg === 'RS256' ? rsa.privateKey : ec.privateKey,
      alg,
      alg === 'RS256' ? 'rsa-1' : 'ec-1',
    );
    expect(await verifier.verify(token, Date.now())).toEqual({
      ok: true,
      principal: { subject: 'svc-reporting', roles: ['ops:read'] },
    });
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const verifier = createTokenVerifier(settings());
    expect(rejectionOf(await verifier.verify(await sign(stranger, 'RS256', 'rsa-1'), Date.now()))).toBe(
      TokenRejectionCode.SIGNATURE_INVALID,
    );
    expect(rejectionOf(await verifier.verify(await sign(stranger, 'RS256', 'unknown-kid'), Date.now()))).toBe(
      TokenRejectionCode.SIGNATURE_INVALID,
    );
  });

  it('refuses HS256, even one keyed with the public key (algorithm confusion)', async () => {
    const verifier = createTokenVerifier(settings());
    const confused = await new SignJWT({ roles: ['treasury'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setSubject('mallory')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(JSON.stringify(rsa.publicJwk)));
    expect(rejectionOf(await verifier.verify(confused, Date.now()))).toBe(
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
    );
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const verifier = createTokenVerifier(settings());
    expect(
      rejectionOf(
        await verifier.verify(
          await sign(rsa.privateKey, 'RS256', 'rsa-1', { issuer: 'https://evil.test/' }),
          Date.now(),
        ),
      ),
    ).toBe(TokenRejectionCode.ISSUER_MISMATCH);
    expect(
      rejectionOf(
        await verifier.verify(
          await sign(rsa.privateKey, 'RS256', 'rsa-1', { audience: 'other' }),
          Date.now(),
        ),
      ),
    ).toBe(TokenRejectionCode.AUDIENCE_MISMATCH);
  });

  it('says "unavailable", not "invalid", when the key set cannot be had', async () => {
    served = () => 'broken';
    try {
      const verifier = createTokenVerifier(settings());
      expect(
        rejectionOf(await verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1'), Date.now())),
      ).toBe('unavailable');
    } finally {
      served = () => ({ keys: [rsa.publicJwk, ec.publicJwk] });
    }
    const unreachable = createTokenVerifier(
      { ...settings(), jwksUrl: 'http://127.0.0.1:1/jwks' } as AuthSettings,
      { timeoutMs: 1_000 },
    );
    expect(
      rejectionOf(await unreachable.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1'), Date.now())),
    ).toBe('unavailable');
  });
});
