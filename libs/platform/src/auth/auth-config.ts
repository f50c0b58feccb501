import { z } from 'zod';
import { EnvProblem, InvalidEnvironmentError, type NODE_ENVS } from '../config/env';
import { unsetIfEmpty, wholeNumber } from '../config/env-fields';
import type { TokenPolicy } from './token-claims';

/**
 * How the API verifies bearer tokens, from the environment. Two modes:
 *
 * - **HS256** (development and tests): tokens signed with the shared `AUTH_JWT_SECRET`
 *   (`npm run token` mints them). Without the variable, a well-known development secret is
 *   used, and NODE_ENV=production refuses to start with it.
 * - **JWKS** (production): `AUTH_JWKS_URL` names the identity provider's key set; tokens are
 *   RS256 or ES256, and `AUTH_ISSUER` and `AUTH_AUDIENCE` are required and checked. HS256
 *   tokens are then refused, whatever AUTH_JWT_SECRET says.
 *
 * Pure: the verifier adapter turns these settings into keys.
 */

/**
 * The secret of development tokens: public (it is in this repository), so it only ever
 * protects a developer's own machine. NODE_ENV=production refuses it.
 */
export const DEVELOPMENT_JWT_SECRET = 'lendstream-development-secret-never-use-in-production';

/** 256 bits, RFC 7518's minimum for an HS256 key. */
export const JWT_SECRET_MIN_LENGTH = 32;
export const HS256_ALGORITHMS = ['HS256'] as const;
export const JWKS_ALGORITHMS = ['RS256', 'ES256'] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

const optionalText = (max: number) =>
  z.preprocess(unsetIfEmpty, z.string().max(max, `expected at most ${max} characters`).optional());

const optionalHttpUrl = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .refine((raw) => {
      try {
        const url = new URL(raw);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, 'expected an http:// or https:// URL of a JSON Web Key Set')
    .optional(),
);

/** The auth variables; spread into an app's environment schema next to platformEnvShape. */
export const authEnvShape = {
  AUTH_JWT_SECRET: optionalText(4_096),
  AUTH_JWKS_URL: optionalHttpUrl,
  AUTH_ISSUER: optionalText(512),
  AUTH_AUDIENCE: optionalText(512),
  AUTH_CLOCK_TOLERANCE_SECONDS: wholeNumber(0, 300, DEFAULT_CLOCK_TOLERANCE_SECONDS),
};

export type AuthEnv = z.output<z.ZodObject<typeof authEnvShape>> & {
  readonly NODE_ENV: (typeof NODE_ENVS)[number];
};

export type AuthSettings =
  | {
      readonly mode: 'hs256';
      readonly secret: string;
      /** True when no AUTH_JWT_SECRET was given (only allowed outside production). */
      readonly usesDevelopmentSecret: boolean;
      readonly policy: TokenPolicy;
    }
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly policy: TokenPolicy };

/** The settings the environment asks for; InvalidEnvironmentError naming every problem otherwise. */
export function authSettingsFrom(env: AuthEnv): AuthSettings {
  const problems: EnvProblem[] = [];
  const problem = (variable: string, value: string | undefined, text: string) =>
    problems.push({ variable, value, problem: text });
  const production = env.NODE_ENV === 'production';
  const common = {
    ...(env.AUTH_ISSUER === undefined ? {} : { issuer: env.AUTH_ISSUER }),
    ...(env.AUTH_AUDIENCE === undefined ? {} : { audience: env.AUTH_AUDIENCE }),
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
  };

  if (env.AUTH_JWKS_URL !== undefined) {
    if (env.AUTH_ISSUER === undefined)
      problem('AUTH_ISSUER', undefined, 'required with AUTH_JWKS_URL: the issuer whose tokens are accepted');
    if (env.AUTH_AUDIENCE === undefined)
      problem(
        'AUTH_AUDIENCE',
        undefined,
        'required with AUTH_JWKS_URL: the audience tokens must be meant for',
      );
    if (production && !env.AUTH_JWKS_URL.startsWith('https://'))
      problem(
        'AUTH_JWKS_URL',
        env.AUTH_JWKS_URL,
        'must be https:// in production (the keys decide who may move money)',
      );
    if (problems.length > 0) throw new InvalidEnvironmentError(problems);
    return {
      mode: 'jwks',
      jwksUrl: env.AUTH_JWKS_URL,
      policy: { algorithms: [...JWKS_ALGORITHMS], ...common },
    };
  }

  const given = env.AUTH_JWT_SECRET;
  if (given !== undefined && given.length < JWT_SECRET_MIN_LENGTH)
    problem('AUTH_JWT_SECRET', '***', `must be at least ${JWT_SECRET_MIN_LENGTH} characters (256 bits)`);
  if (production && (given === undefined || given === DEVELOPMENT_JWT_SECRET))
    problem(
      'AUTH_JWT_SECRET',
      given === undefined ? undefined : '***',
      `NODE_ENV=production refuses the development secret: set AUTH_JWKS_URL with AUTH_ISSUER and AUTH_AUDIENCE (RS256/ES256 from your identity provider), or a random AUTH_JWT_SECRET of at least ${JWT_SECRET_MIN_LENGTH} characters`,
    );
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return {
    mode: 'hs256',
    secret: given ?? DEVELOPMENT_JWT_SECRET,
    usesDevelopmentSecret: given === undefined || given === DEVELOPMENT_JWT_SECRET,
    policy: { algorithms: [...HS256_ALGORITHMS], ...common },
  };
}

/** One line for the boot log: which tokens this process accepts (never the secret). */
export function describeAuthSettings(settings: AuthSettings): string {
  const checks = [
    settings.policy.issuer === undefined ? undefined : `issuer ${settings.policy.issuer}`,
    settings.policy.audience === undefined ? undefined : `audience ${settings.policy.audience}`,
  ].filter((part) => part !== undefined);
  const checked = checks.length === 0 ? '' : `, ${checks.join(', ')}`;
  return settings.mode === 'jwks'
    ? `bearer JWTs ${settings.policy.algorithms.join('/')} from the key set at ${settings.jwksUrl}${checked}`
    : `bearer JWTs HS256 with ${settings.usesDevelopmentSecret ? 'the DEVELOPMENT secret (AUTH_JWT_SECRET unset)' : 'AUTH_JWT_SECRET'}${checked}`;
}
