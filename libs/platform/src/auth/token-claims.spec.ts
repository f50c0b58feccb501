import { checkTokenClaims, checkTokenHeader, TokenPolicy, TokenRejectionCode } from './token-claims';

const NOW_MS = Date.parse('2026-11-11T12:00:00Z');
const now = NOW_MS / 1_000;
const policy: TokenPolicy = { algorithms: ['RS256', 'ES256'], clockToleranceSeconds: 30 };
const strict: TokenPolicy = { ...policy, issuer: 'https://id.example.com/', audience: 'lendstream-api' };

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'alice',
  roles: ['ops:read'],
  iat: now - 60,
  exp: now + 600,
  ...overrides,
});
const without = (name: string): Record<string, unknown> => {
  const rest: Record<string, unknown> = claims();
  delete rest[name];
  return rest;
};

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenWithHeader = (header: unknown) => `${segment(header)}.${segment(claims())}.c2lnbmF0dXJl`;

describe('checkTokenHeader', () => {
  it.each<[string, string, TokenPolicy, TokenRejectionCode]>([
    ['alg none', tokenWithHeader({ alg: 'none' }), policy, TokenRejectionCode.ALGORITHM_NOT_ALLOWED],
    [
      'alg NONE in capitals',
      tokenWithHeader({ alg: 'NONE' }),
      { ...policy, algorithms: ['NONE'] },
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
    ],
    [
      'HS256 when RS256/ES256 are expected',
      tokenWithHeader({ alg: 'HS256' }),
      policy,
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
    ],
    [
      'RS256 when HS256 is expected',
      tokenWithHeader({ alg: 'RS256' }),
      { ...policy, algorithms: ['HS256'] },
      TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
    ],
    ['no alg', tokenWithHeader({ typ: 'JWT' }), policy, TokenRejectionCode.MALFORMED],
    ['alg not a string', tokenWithHeader({ alg: 256 }), policy, TokenRejectionCode.MALFORMED],
    ['kid not a string', tokenWithHeader({ alg: 'RS256', kid: 7 }), policy, TokenRejectionCode.MALFORMED],
    ['header an array', tokenWithHeader(['RS256']), policy, TokenRejectionCode.MALFORMED],
    [
      'header not JSON',
      `${Buffer.from('{alg').toString('base64url')}.${segment(claims())}.c2ln`,
      policy,
      TokenRejectionCode.MALFORMED,
    ],
    ['two parts', `${segment({ alg: 'RS256' })}.${segment(claims())}`, policy, TokenRejectionCode.MALFORMED],
    ['four parts (a JWE)', `${segment({ alg: 'RS256' })}.a.b.c`, policy, TokenRejectionCode.MALFORMED],
    ['not base64url', `${segment({ alg: 'RS256' })}.pay+load.sig`, policy, TokenRejectionCode.MALFORMED],
    ['empty header', `.${segment(claims())}.sig`, policy, TokenRejectionCode.MALFORMED],
  ])('refuses %s', (_case, token, tokenPolicy, code) => {
    const checked = checkTokenHeader(token, tokenPolicy);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.rejection.code).toBe(code);
  });

  it('names the algorithm it refuses and the ones it accepts', () => {
    const checked = checkTokenHeader(tokenWithHeader({ alg: 'HS256' }), policy);
    expect(checked).toEqual({
      ok: false,
      rejection: {
        code: TokenRejectionCode.ALGORITHM_NOT_ALLOWED,
        message: 'the bearer token is signed with "HS256"; this API accepts RS256, ES256',
      },
    });
  });

  it.each([
    [{ alg: 'RS256' }, { alg: 'RS256' }],
    [
      { alg: 'ES256', kid: 'k-2026', typ: 'JWT' },
      { alg: 'ES256', kid: 'k-2026' },
    ],
  ])('accepts %j', (header, expected) => {
    expect(checkTokenHeader(tokenWithHeader(header), policy)).toEqual({ ok: true, value: expected });
  });
});

describe('checkTokenClaims', () => {
  it.each<[string, unknown, TokenPolicy, TokenRejectionCode, string]>([
    [
      'expired',
      claims({ exp: now - 31 }),
      policy,
      TokenRejectionCode.EXPIRED,
      'expired at 2026-11-11T11:59:29.000Z',
    ],
    [
      'expired exactly at the tolerance',
      claims({ exp: now - 30 }),
      policy,
      TokenRejectionCode.EXPIRED,
      'expired',
    ],
    [
      'expired, no tolerance',
      claims({ exp: now }),
      { ...policy, clockToleranceSeconds: 0 },
      TokenRejectionCode.EXPIRED,
      'expired',
    ],
    [
      'not yet valid',
      claims({ nbf: now + 31 }),
      policy,
      TokenRejectionCode.NOT_YET_VALID,
      'not valid before 2026-11-11T12:00:31.000Z',
    ],
    ['no exp', without('exp'), policy, TokenRejectionCode.CLAIM_INVALID, 'no expiry (exp)'],
    [
      'exp a string',
      claims({ exp: String(now + 60) }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'exp is not a number',
    ],
    ['exp NaN-like', claims({ exp: null }), policy, TokenRejectionCode.CLAIM_INVALID, 'exp is not a number'],
    [
      'nbf a string',
      claims({ nbf: 'soon' }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'nbf is not a number',
    ],
    [
      'iat a string',
      claims({ iat: 'then' }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'iat is not a number',
    ],
    [
      'wrong issuer',
      claims({ iss: 'https://evil.example.com/', aud: 'lendstream-api' }),
      strict,
      TokenRejectionCode.ISSUER_MISMATCH,
      'issuer',
    ],
    [
      'no issuer when one is required',
      claims({ aud: 'lendstream-api' }),
      strict,
      TokenRejectionCode.ISSUER_MISMATCH,
      'issuer',
    ],
    [
      'wrong audience',
      claims({ iss: strict.issuer, aud: 'another-api' }),
      strict,
      TokenRejectionCode.AUDIENCE_MISMATCH,
      'aud',
    ],
    [
      'audience list without ours',
      claims({ iss: strict.issuer, aud: ['a', 'b'] }),
      strict,
      TokenRejectionCode.AUDIENCE_MISMATCH,
      'aud',
    ],
    [
      'no audience when one is required',
      claims({ iss: strict.issuer }),
      strict,
      TokenRejectionCode.AUDIENCE_MISMATCH,
      'aud',
    ],
    ['missing roles claim', without('roles'), policy, TokenRejectionCode.CLAIM_INVALID, 'has no roles claim'],
    [
      'roles a string',
      claims({ roles: 'ops:read' }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'roles claim is not an array',
    ],
    [
      'roles an object',
      claims({ roles: { 'ops:read': true } }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'not an array',
    ],
    [
      'roles with a number',
      claims({ roles: ['ops:read', 7] }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'array of strings',
    ],
    [
      'roles with an empty string',
      claims({ roles: [''] }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'array of strings',
    ],
    [
      'too many roles',
      claims({ roles: Array.from({ length: 101 }, (_, i) => `r${i}`) }),
      policy,
      TokenRejectionCode.CLAIM_INVALID,
      'more than 100 roles',
    ],
    ['no subject', without('sub'), policy, TokenRejectionCode.CLAIM_INVALID, 'subject (sub)'],
    ['blank subject', claims({ sub: '  ' }), policy, TokenRejectionCode.CLAIM_INVALID, 'subject (sub)'],
    ['subject a number', claims({ sub: 42 }), policy, TokenRejectionCode.CLAIM_INVALID, 'subject (sub)'],
    ['claims an array', [claims()], policy, TokenRejectionCode.MALFORMED, 'no claims object'],
    ['claims null', null, policy, TokenRejectionCode.MALFORMED, 'no claims object'],
  ])('refuses a token: %s', (_case, payload, tokenPolicy, code, messagePart) => {
    const checked = checkTokenClaims(payload, tokenPolicy, NOW_MS);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.rejection.code).toBe(code);
      expect(checked.rejection.message).toContain(messagePart);
    }
  });

  it.each<[string, unknown, TokenPolicy]>([
    ['valid', claims(), policy],
    ['expired within the clock tolerance', claims({ exp: now - 29 }), policy],
    ['not yet valid within the clock tolerance', claims({ nbf: now + 30 }), policy],
    ['issuer and audience as required', claims({ iss: strict.issuer, aud: 'lendstream-api' }), strict],
    ['audience in a list', claims({ iss: strict.issuer, aud: ['other', 'lendstream-api'] }), strict],
    ['fractional times', claims({ exp: now + 0.5, nbf: now - 0.5 }), { ...policy, clockToleranceSeconds: 0 }],
  ])('accepts a token: %s', (_case, payload, tokenPolicy) => {
    expect(checkTokenClaims(payload, tokenPolicy, NOW_MS)).toEqual({
      ok: true,
      value: { subject: 'alice', roles: ['ops:read'] },
    });
  });

  it('keeps roles it does not know, once each, and accepts an empty list (it then opens no route)', () => {
    expect(checkTokenClaims(claims({ roles: ['ops:read', 'x:y', 'ops:read'] }), policy, NOW_MS)).toEqual({
      ok: true,
      value: { subject: 'alice', roles: ['ops:read', 'x:y'] },
    });
    expect(checkTokenClaims(claims({ roles: [] }), policy, NOW_MS)).toEqual({
      ok: true,
      value: { subject: 'alice', roles: [] },
    });
  });
});
