/**
 * Secure by default: every route says who may call it, `@Public()` or `@RequireRoles(...)`;
 * a route that says neither stops the app at boot (and is refused at run time should one
 * ever slip through). This is the pure check over every route's declaration.
 */

export interface RouteAccessDeclaration {
  /** `CreditLineController.getCreditLine (GET /v1/merchants/:merchantId/credit-line)`. */
  readonly route: string;
  readonly isPublic: boolean;
  /** The roles named by @RequireRoles (method first, else controller); undefined when none. */
  readonly roles: readonly string[] | undefined;
}

/** Every problem with the routes' declarations, one line each; empty when all are declared. */
export function routeAccessProblems(routes: readonly RouteAccessDeclaration[]): string[] {
  return routes.flatMap(({ route, isPublic, roles }) => {
    if (isPublic && roles !== undefined)
      return [`${route} is both @Public() and @RequireRoles(${roles.join(', ')})`];
    if (!isPublic && roles === undefined)
      return [`${route} declares no access: add @RequireRoles(...) or @Public()`];
    if (roles !== undefined && roles.length === 0) return [`${route} has @RequireRoles() with no role`];
    return [];
  });
}
