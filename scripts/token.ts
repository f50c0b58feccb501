/**
 * `npm run -s token -- --roles ops:read,ops:write --sub alice [--ttl 1h]`: prints a development
 * bearer token (HS256, signed with AUTH_JWT_SECRET or the development default, the same one
 * the API uses; with AUTH_ISSUER/AUTH_AUDIENCE when set), and nothing else on stdout, so that
 * `TOKEN=$(npm run -s token -- --roles ops:read --sub alice)` works.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  authEnvShape,
  authSettingsFrom,
  DEFAULT_TOKEN_TTL_SECONDS,
  InvalidEnvironmentError,
  isApiRole,
  loadEnvWith,
  parseRoleList,
  parseSubject,
  parseTokenLifetime,
  platformEnvShape,
  signHs256Token,
} from '@lendstream/platform';

const USAGE = `usage: npm run -s token -- --roles <role,role…> --sub <subject> [--ttl <90s|15m|1h|7d>]
  --roles  the token's roles, e.g. ops:read,ops:write (the API's: ops:read, ops:write, lending:drawdown, lending:repay, treasury)
  --sub    who the token is for (the audit log names them), e.g. alice
  --ttl    how long it is valid (default 1h, at most 30d)
Signed HS256 with AUTH_JWT_SECRET (or the development default); AUTH_ISSUER and AUTH_AUDIENCE are added when set.`;

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { roles?: string; sub?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        roles: { type: 'string' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.roles === undefined) fail('--roles is required');
  if (values.sub === undefined) fail('--sub is required');
  const roles = parseRoleList(values.roles);
  if (!roles.ok) fail(roles.problem);
  const subject = parseSubject(values.sub);
  if (!subject.ok) fail(subject.problem);
  const ttl =
    values.ttl === undefined
      ? { ok: true as const, value: DEFAULT_TOKEN_TTL_SECONDS }
      : parseTokenLifetime(values.ttl);
  if (!ttl.ok) fail(ttl.problem);

  let settings;
  try {
    const env = loadEnvWith(z.object({ NODE_ENV: platformEnvShape.NODE_ENV, ...authEnvShape }));
    settings = authSettingsFrom(env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) fail(error.message);
    throw error;
  }
  if (settings.mode === 'jwks')
    fail(
      `AUTH_JWKS_URL is set: the API then accepts only RS256/ES256 tokens from your identity provider (${settings.jwksUrl}); get one there, or unset AUTH_JWKS_URL for development tokens`,
    );

  for (const role of roles.value.filter((role) => !isApiRole(role)))
    process.stderr.write(`token: warning: ${role} is not a role of the API (it opens no route)\n`);
  const token = await signHs256Token(
    {
      subject: subject.value,
      roles: roles.value,
      ttlSeconds: ttl.value,
      ...(settings.policy.issuer === undefined ? {} : { issuer: settings.policy.issuer }),
      ...(settings.policy.audience === undefined ? {} : { audience: settings.policy.audience }),
    },
    settings.secret,
    Date.now(),
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
