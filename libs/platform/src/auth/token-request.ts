import { ROLE_NAME_MAX_LENGTH, ROLES_MAX, SUBJECT_MAX_LENGTH } from './token-claims';

/**
 * What `npm run token` is asked for (`--roles ops:read,ops:write --sub alice --ttl 1h`),
 * checked. Pure: the script signs (adapters/development-token.ts).
 */

/** A development token lives an hour unless asked otherwise, and never more than 30 days. */
export const DEFAULT_TOKEN_TTL_SECONDS = 60 * 60;
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** `90`, `90s`, `15m`, `1h`, `7d` → seconds, 1 s to 30 days. */
export function parseTokenLifetime(raw: string): Parsed<number> {
  const match = /^(\d{1,7})([smhd]?)$/.exec(raw.trim());
  if (match === null)
    return { ok: false, problem: `--ttl ${JSON.stringify(raw)}: expected e.g. 90s, 15m, 1h or 7d` };
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] === '' ? 's' : match[2]!]!;
  if (seconds < 1 || seconds > MAX_TOKEN_TTL_SECONDS)
    return { ok: false, problem: `--ttl ${raw}: between 1s and 30d` };
  return { ok: true, value: seconds };
}

/** `ops:read,ops:write` → the roles, each 1-128 characters with no spaces, at least one. */
export function parseRoleList(raw: string): Parsed<string[]> {
  const roles = [
    ...new Set(
      raw
        .split(',')
        .map((role) => role.trim())
        .filter((role) => role !== ''),
    ),
  ];
  if (roles.length === 0) return { ok: false, problem: '--roles: name at least one role, e.g. ops:read' };
  if (roles.length > ROLES_MAX) return { ok: false, problem: `--roles: at most ${ROLES_MAX} roles` };
  const bad = roles.find((role) => role.length > ROLE_NAME_MAX_LENGTH || /\s/.test(role));
  if (bad !== undefined)
    return {
      ok: false,
      problem: `--roles: ${JSON.stringify(bad)} is not a role (no spaces, at most ${ROLE_NAME_MAX_LENGTH} characters)`,
    };
  return { ok: true, value: roles };
}

export function parseSubject(raw: string): Parsed<string> {
  const subject = raw.trim();
  if (subject === '' || subject.length > SUBJECT_MAX_LENGTH)
    return {
      ok: false,
      problem: `--sub: 1-${SUBJECT_MAX_LENGTH} characters naming who the token is for, e.g. alice`,
    };
  return { ok: true, value: subject };
}
