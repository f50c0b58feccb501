import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { BearerAuthGuard } from './adapters/bearer-auth.guard';
import { RouteAccessAudit } from './adapters/route-access-audit';
import { createTokenVerifier, TOKEN_VERIFIER, type JwksFetchOptions } from './adapters/token-verifier';
import type { AuthSettings } from './auth-config';

/**
 * Bearer-JWT authentication and role checks for every HTTP route of the app that imports it:
 * the guard (global), the token verifier, and the boot check that every route declares its
 * access (`@RequireRoles(...)` or `@Public()`).
 */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings, jwks: JwksFetchOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: TOKEN_VERIFIER, useFactory: () => createTokenVerifier(settings, jwks) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        RouteAccessAudit,
      ],
      exports: [TOKEN_VERIFIER],
    };
  }
}
