import { RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE_KEY, REQUIRED_ROLES_KEY } from '../../auth/adapters/auth.decorators';
import type { ApiDoc, DocumentedRoute } from '../openapi-document';
import { routeClassOf } from '../rate-limit';

export const API_DOC_KEY = 'lendstream:http:api-doc';

/**
 * What a route says about itself in the OpenAPI document: a summary, the zod schemas of its
 * parameters, query and body (the ones its pipes validate with), and what it answers.
 */
export const ApiDocumented = (doc: ApiDoc) => SetMetadata(API_DOC_KEY, doc);

/**
 * Every HTTP route the app registered, with its access (@Public / @RequireRoles) and its
 * ApiDoc (undefined when it has none): the input of buildOpenApiDocument.
 */
export function discoverRoutes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    const instance = wrapper.instance as object | undefined;
    if (controller === null || instance === undefined || instance === null) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const controllerPaths = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const targets = [handler, controller];
      const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, targets) === true;
      const roles =
        reflector.getAllAndOverride<readonly string[] | undefined>(REQUIRED_ROLES_KEY, targets) ?? [];
      const doc = reflector.getAllAndOverride<ApiDoc | undefined>(API_DOC_KEY, targets);
      for (const controllerPath of controllerPaths)
        for (const handlerPath of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
          const path = `/${[controllerPath, handlerPath].filter((part) => part !== '').join('/')}`;
          const verb = RequestMethod[method];
          routes.push({
            operationId: `${controller.name}.${name}`,
            method: verb,
            path,
            access: isPublic ? { public: true } : { public: false, roles },
            rateLimited: routeClassOf(verb, path) !== 'exempt',
            doc,
          });
        }
    }
  }
  return routes;
}

function pathsOf(metadata: unknown): string[] {
  const list = Array.isArray(metadata)
    ? metadata.map(String)
    : [typeof metadata === 'string' ? metadata : ''];
  return list.map((path) => path.replace(/^\/+|\/+$/g, ''));
}
