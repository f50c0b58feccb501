import { z } from 'zod';
import { InvalidEnvironmentError, loadEnvWith, platformEnvShape, type EnvSource } from '../config/env';
import { authEnvShape, authSettingsFrom, describeAuthSettings, DEVELOPMENT_JWT_SECRET } from './auth-config';

const schema = z.object({ NODE_ENV: platformEnvShape.NODE_ENV, ...authEnvShape });
const settingsOf = (source: EnvSource) => authSettingsFrom(loadEnvWith(schema, source));
const STRONG_SECRET = 'k'.repeat(40);
const JWKS = {
  AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://id.example.com/',
  AUTH_AUDIENCE: 'lendstream-api',
};

describe('authSettingsFrom', () => {
  it('development with nothing set: HS256 with the development secret, 30 s tolerance', () => {
    expect(settingsOf({})).toEqual({
      mode: 'hs256',
      secret: DEVELOPMENT_JWT_SECRET,
      usesDevelopmentSecret: true,
      policy: { algorithms: ['HS256'], clockToleranceSeconds: 30 },
    });
  });

  it('an empty secret counts as unset', () => {
    expect(settingsOf({ AUTH_JWT_SECRET: '' })).toMatchObject({
      secret: DEVELOPMENT_JWT_SECRET,
      usesDevelopmentSecret: true,
    });
  });

  it('HS256 with a given secret, checking issuer and audience when set', () => {
    expect(
      settingsOf({
        AUTH_JWT_SECRET: STRONG_SECRET,
        AUTH_ISSUER: 'me',
        AUTH_AUDIENCE: 'api',
        AUTH_CLOCK_TOLERANCE_SECONDS: '5',
      }),
    ).toEqual({
      mode: 'hs256',
      secret: STRONG_SECRET,
      usesDevelopmentSecret: false,
      policy: { algorithms: ['HS256'], issuer: 'me', audience: 'api', clockToleranceSeconds: 5 },
    });
  });

  it('production accepts a strong secret of its own', () => {
    expect(settingsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: STRONG_SECRET })).toMatchObject({
      mode: 'hs256',
    });
  });

  it('JWKS: RS256/ES256 with issuer and audience, HS256 refused', () => {
    expect(settingsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: STRONG_SECRET, ...JWKS })).toEqual({
      mode: 'jwks',
      jwksUrl: JWKS.AUTH_JWKS_URL,
      policy: {
        algorithms: ['RS256', 'ES256'],
        issuer: JWKS.AUTH_ISSUER,
        audience: JWKS.AUTH_AUDIENCE,
        clockToleranceSeconds: 30,
      },
    });
  });

  it('JWKS over http is fine outside production (a test issuer on loopback)', () => {
    expect(settingsOf({ ...JWKS, AUTH_JWKS_URL: 'http://127.0.0.1:9999/jwks' })).toMatchObject({
      mode: 'jwks',
    });
  });

  it.each<[string, EnvSource, string[]]>([
    [
      'production, no secret',
      { NODE_ENV: 'production' },
      ['AUTH_JWT_SECRET: NODE_ENV=production refuses the development secret'],
    ],
    [
      'production, empty secret',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: ' ' },
      ['AUTH_JWT_SECRET: NODE_ENV=production refuses'],
    ],
    [
      'production, the development secret given explicitly',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET },
      ['AUTH_JWT_SECRET="***": NODE_ENV=production refuses'],
    ],
    [
      'a short secret',
      { AUTH_JWT_SECRET: 'short' },
      ['AUTH_JWT_SECRET="***": must be at least 32 characters'],
    ],
    ['JWKS without issuer', { ...JWKS, AUTH_ISSUER: '' }, ['AUTH_ISSUER: required with AUTH_JWKS_URL']],
    [
      'JWKS without issuer nor audience',
      { AUTH_JWKS_URL: JWKS.AUTH_JWKS_URL },
      ['AUTH_ISSUER: required with AUTH_JWKS_URL', 'AUTH_AUDIENCE: required with AUTH_JWKS_URL'],
    ],
    [
      'JWKS over http in production',
      { NODE_ENV: 'production', ...JWKS, AUTH_JWKS_URL: 'http://id.example.com/jwks' },
      ['AUTH_JWKS_URL="http://id.example.com/jwks": must be https:// in production'],
    ],
  ])('refuses %s, naming the variable', (_case, source, messages) => {
    expect(() => settingsOf(source)).toThrow(InvalidEnvironmentError);
    for (const message of messages) expect(() => settingsOf(source)).toThrow(message);
  });

  it('never puts a secret in its error message', () => {
    expect(() => settingsOf({ AUTH_JWT_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it.each<[EnvSource, string]>([
    [
      { AUTH_JWKS_URL: 'ftp://id.example.com/jwks' },
      'AUTH_JWKS_URL="ftp://id.example.com/jwks": expected an http:// or https:// URL',
    ],
    [
      { AUTH_CLOCK_TOLERANCE_SECONDS: '301' },
      'AUTH_CLOCK_TOLERANCE_SECONDS="301": expected a whole number from 0 to 300',
    ],
  ])('the schema refuses %j', (source, message) => {
    expect(() => settingsOf(source)).toThrow(message);
  });
});

describe('describeAuthSettings', () => {
  it('says which tokens are accepted, never the secret', () => {
    const hs = describeAuthSettings(settingsOf({ AUTH_JWT_SECRET: STRONG_SECRET, AUTH_AUDIENCE: 'api' }));
    expect(hs).toBe('bearer JWTs HS256 with AUTH_JWT_SECRET, audience api');
    expect(hs).not.toContain(STRONG_SECRET);
    expect(describeAuthSettings(settingsOf({}))).toContain('DEVELOPMENT secret');
    expect(describeAuthSettings(settingsOf(JWKS))).toBe(
      'bearer JWTs RS256/ES256 from the key set at https://id.example.com/.well-known/jwks.json, issuer https://id.example.com/, audience lendstream-api',
    );
  });
});
