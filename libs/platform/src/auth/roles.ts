/**
 * Who may call what. A caller is a principal: the token's subject and its roles. A route names
 * the roles that open it; holding any one of them is enough. Pure.
 */

/** The roles CONTRACT.md names, one per kind of work. */
export const API_ROLES = ['ops:read', 'ops:write', 'lending:drawdown', 'lending:repay', 'treasury'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const isApiRole = (role: string): role is ApiRole => (API_ROLES as readonly string[]).includes(role);

/** The caller a verified token stands for (for handlers and, later, the audit log). */
export interface Principal {
  /** The token's `sub`: who is calling (a person or a service). */
  readonly subject: string;
  /** The token's `roles`, as given (roles this API does not know are kept and ignored). */
  readonly roles: readonly string[];
}

/** True when the principal holds at least one of the roles a route names. */
export const grantsAccess = (principal: Principal, anyOf: readonly string[]): boolean =>
  anyOf.some((role) => principal.roles.includes(role));

/** `the role ops:read`, or `one of the roles ops:write, treasury`. */
export const describeRequiredRoles = (anyOf: readonly string[]): string =>
  anyOf.length === 1 ? `the role ${anyOf[0]}` : `one of the roles ${anyOf.join(', ')}`;
