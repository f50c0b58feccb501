import { Inject, Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { RouteAccessDeclaration, routeAccessProblems } from '../route-access';
import { PUBLIC_ROUTE_KEY, REQUIRED_ROLES_KEY } from './auth.decorators';

/**
 * Secure by default, checked at boot: every HTTP route of the app must be `@Public()` or
 * `@RequireRoles(...)`; one that is neither (or both) fails the app's init, naming it, before
 * it listens. The guard refuses such a route too, in case one is added at run time.
 */
@Injectable()
export class RouteAccessAudit implements OnModuleInit {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const problems = routeAccessProblems(this.declarations());
    if (problems.length > 0)
      throw new Error(
        `Routes without a valid access declaration (secure by default):\n  - ${problems.join('\n  - ')}`,
      );
  }

  private declarations(): RouteAccessDeclaration[] {
    const declarations: RouteAccessDeclaration[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      const instance = wrapper.instance as object | undefined;
      if (controller === null || instance === undefined || instance === null) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      const controllerPath = pathOf(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue; // not an HTTP route (a helper, an event handler)
        const routePath = [controllerPath, pathOf(Reflect.getMetadata(PATH_METADATA, handler))]
          .filter((part) => part !== '')
          .join('/');
        const targets = [handler, controller];
        declarations.push({
          route: `${controller.name}.${name} (${RequestMethod[method]} /${routePath})`,
          isPublic: this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, targets) === true,
          roles: this.reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_ROLES_KEY, targets),
        });
      }
    }
    return declarations;
  }
}

function pathOf(metadata: unknown): string {
  const path = Array.isArray(metadata)
    ? String(metadata[0] ?? '')
    : typeof metadata === 'string'
      ? metadata
      : '';
  return path.replace(/^\/+|\/+$/g, '');
}
