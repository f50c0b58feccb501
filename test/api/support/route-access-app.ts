/**
 * A small Nest app on the platform's AuthModule and HTTP conventions, run as a child process by
 * route-access.int-spec.ts (Jest cannot load Nest 12's ES modules in-process). With
 * WITH_UNDECLARED_ROUTE=1 it also has a route that declares no access, and its init must fail
 * naming it; otherwise it listens on a free port, prints `LISTENING <port>`, and serves
 * `GET /declared/whoami`, which answers the caller's principal.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AuthModule,
  configureHttpApp,
  CurrentPrincipal,
  DEVELOPMENT_JWT_SECRET,
  type Principal,
  Public,
  RequireRoles,
} from '@lendstream/platform';

@Controller('declared')
class DeclaredController {
  @Get('open')
  @Public()
  open(): { open: true } {
    return { open: true };
  }

  @Get('whoami')
  @RequireRoles('ops:read', 'treasury')
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get(':id')
  forgot(): string {
    return 'anyone could read this';
  }
}

const withUndeclaredRoute = process.env.WITH_UNDECLARED_ROUTE === '1';

@Module({
  imports: [
    AuthModule.forRoot({
      mode: 'hs256',
      secret: DEVELOPMENT_JWT_SECRET,
      usesDevelopmentSecret: true,
      policy: { algorithms: ['HS256'], clockToleranceSeconds: 30 },
    }),
  ],
  controllers: withUndeclaredRoute ? [DeclaredController, ForgottenController] : [DeclaredController],
})
class RouteAccessModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(RouteAccessModule, { logger: false, bodyParser: false });
  configureHttpApp(app, { bodyLimitBytes: 1_024, corsOrigins: [] });
  app.enableShutdownHooks(['SIGTERM'], { useProcessExit: true });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`LISTENING ${(app.getHttpServer().address() as AddressInfo).port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
