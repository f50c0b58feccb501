import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError, ApiErrorCode } from '../../http/api-error';
import { bearerTokenOf } from '../bearer-token';
import { describeRequiredRoles, grantsAccess } from '../roles';
import { AuthenticatedRequest, PUBLIC_ROUTE_KEY, REQUIRED_ROLES_KEY } from './auth.decorators';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';

const REALM = 'lendstream';
/** How soon a caller should retry when the identity provider's keys cannot be fetched. */
const AUTH_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The guard on every route (registered as APP_GUARD by AuthModule). `@Public()` routes pass;
 * every other route needs a bearer JWT that verifies (401 with `WWW-Authenticate: Bearer`
 * otherwise) and holds one of the route's roles (403 otherwise). A route that declares no
 * role is refused (the boot check, RouteAccessAudit, stops such an app before it listens).
 * The principal is put on the request for @CurrentPrincipal().
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http')
      throw new Error(`BearerAuthGuard guards HTTP routes only, not ${context.getType()}`);
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, targets) === true)
      return true;
    const roles = this.reflector.getAllAndOverride<readonly string[] | undefined>(
      REQUIRED_ROLES_KEY,
      targets,
    );
    if (roles === undefined || roles.length === 0)
      throw new ApiError(403, ApiErrorCode.FORBIDDEN, 'this route declares no role, so no one may call it');

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = bearerTokenOf(request.headers.authorization);
    if (!bearer.ok) throw unauthenticated(bearer.message, !bearer.missing);

    const verified = await this.verifier.verify(bearer.token, Date.now());
    if (!verified.ok) {
      if (verified.kind === 'unavailable') {
        this.logger.warn(`Cannot verify bearer tokens: ${verified.detail}`);
        throw new ApiError(
          503,
          ApiErrorCode.AUTH_UNAVAILABLE,
          'bearer tokens cannot be verified right now (the identity provider keys are out of reach); retry shortly',
          { 'Retry-After': String(AUTH_UNAVAILABLE_RETRY_AFTER_SECONDS) },
        );
      }
      throw unauthenticated(verified.rejection.message, true);
    }
    request.principal = verified.principal;
    if (!grantsAccess(verified.principal, roles))
      throw new ApiError(
        403,
        ApiErrorCode.FORBIDDEN,
        `this route needs ${describeRequiredRoles(roles)}; the token of ${verified.principal.subject} holds ${
          verified.principal.roles.length === 0 ? 'no role' : verified.principal.roles.join(', ')
        }`,
        { 'WWW-Authenticate': challenge('insufficient_scope', `needs ${describeRequiredRoles(roles)}`) },
      );
    return true;
  }
}

function unauthenticated(message: string, tokenGiven: boolean): ApiError {
  return new ApiError(401, ApiErrorCode.UNAUTHENTICATED, message, {
    'WWW-Authenticate': tokenGiven ? challenge('invalid_token', message) : `Bearer realm="${REALM}"`,
  });
}

/** RFC 6750 section 3: a quoted-string may not hold `"` or `\`. */
function challenge(error: string, description: string): string {
  const safe = description.replace(/["\\]/g, "'").replace(/[^\x20-\x7E]/g, '?');
  return `Bearer realm="${REALM}", error="${error}", error_description="${safe}"`;
}
