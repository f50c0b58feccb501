import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiRole, Principal } from '../roles';

export const REQUIRED_ROLES_KEY = 'lendstream:auth:required-roles';
export const PUBLIC_ROUTE_KEY = 'lendstream:auth:public';

/** A request that went through the BearerAuthGuard on a route with roles. */
export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * The roles that open a route (or every route of a controller); holding any one is enough.
 * Typed to the contract's roles, so a typo does not compile.
 */
export const RequireRoles = (...roles: [ApiRole, ...ApiRole[]]) => SetMetadata(REQUIRED_ROLES_KEY, roles);

/** A route anyone may call, with no token: health and metrics only. */
export const Public = () => SetMetadata(PUBLIC_ROUTE_KEY, true);

/** The caller of a route with roles: its token's subject and roles (for the audit log). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal === undefined)
      throw new Error('@CurrentPrincipal() on a route that has no principal: is it @Public()?');
    return principal;
  },
);
