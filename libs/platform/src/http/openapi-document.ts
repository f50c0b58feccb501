import { z } from 'zod';
import { ApiErrorCode } from './api-error';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * The OpenAPI 3.1 document of the ops API, built from the code: each route's method, path and
 * access (from its decorators) and its ApiDoc (the same zod schemas that validate its input,
 * and schemas of what it answers). Pure: routes in, a JSON document out.
 */

export interface ResponseDoc {
  readonly description: string;
  /** The body; for a status of 400 or more, the contract's error body when absent. */
  readonly schema?: z.ZodType;
  /** Error codes this status answers with (documented in the description). */
  readonly codes?: readonly string[];
}

/** What a route says about itself, beside its method, path and roles: `@ApiDoc({...})`. */
export interface ApiDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Path parameters by name; a parameter without a schema is documented as a string. */
  readonly params?: Readonly<Record<string, z.ZodType>>;
  /** The query: an object schema, one parameter per field. */
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** A write that takes an Idempotency-Key (runIdempotent). */
  readonly idempotent?: boolean;
  /** Every status the route itself answers with; the platform's own errors are added. */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

/** A registered route as the app declares it. */
export interface DocumentedRoute {
  /** `MerchantCreditController.creditLine`: unique, the operationId. */
  readonly operationId: string;
  readonly method: string;
  /** Express style: `/v1/merchants/:merchantId/credit-line`. */
  readonly path: string;
  /** `public` (no token), or the roles of which any one opens it. */
  readonly access: { readonly public: true } | { readonly public: false; readonly roles: readonly string[] };
  /** Whether the rate limits apply (all but health and metrics). */
  readonly rateLimited: boolean;
  readonly doc: ApiDoc | undefined;
}

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

type Json = Record<string, unknown>;

export const BEARER_SCHEME = 'bearer';
const ERROR_SCHEMA_REF = { $ref: '#/components/schemas/Error' };

/** `/v1/merchants/:merchantId` → `/v1/merchants/{merchantId}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const pathParameterNames = (expressPath: string): string[] =>
  [...expressPath.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);

/**
 * A zod schema as JSON Schema (2020-12, OpenAPI 3.1's dialect): what a client sends (`input`,
 * before transforms) or what it receives (`output`). Named sub-schemas land in `components`.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  const { $schema: _dialect, $defs, ...rest } = converted;
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, Json>))
    components[name] = retarget(definition) as Json;
  return retarget(rest) as Json;
}

/** Points `#/$defs/X` at `#/components/schemas/X`, at every depth. */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/$defs/', '#/components/schemas/')
        : retarget(inner),
    ]),
  );
}

const acceptsUndefined = (schema: z.ZodType): boolean => schema.safeParse(undefined).success;

const errorResponse = (description: string, codes: readonly string[], headers?: Json): Json => ({
  description:
    codes.length === 0 ? description : `${description} (${codes.map((code) => `\`${code}\``).join(', ')})`,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema: ERROR_SCHEMA_REF } },
});

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

function operationOf(route: DocumentedRoute, components: Record<string, Json>): Json {
  const doc = route.doc;
  const parameters: Json[] = pathParameterNames(route.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema:
      doc?.params?.[name] === undefined
        ? { type: 'string' }
        : jsonSchemaOf(doc.params[name], 'input', components),
  }));
  for (const [name, field] of Object.entries(doc?.query?.shape ?? {}) as Array<[string, z.ZodType]>)
    parameters.push({
      name,
      in: 'query',
      required: !acceptsUndefined(field),
      schema: jsonSchemaOf(field, 'input', components),
    });
  if (doc?.idempotent === true)
    parameters.push({
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: true,
      description:
        'One per operation (a UUID); resend it unchanged to retry. The same key and request give the first response again (`Idempotent-Replayed: true`) and no second effect; the same key with another request is a 409.',
      schema: {
        type: 'string',
        minLength: 1,
        maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
        pattern: '^[\\x21-\\x7E]+$',
      },
    });

  const responses: Json = {};
  for (const [status, response] of Object.entries(doc?.responses ?? {})) {
    const code = Number(status);
    responses[status] =
      code >= 400 && response.schema === undefined
        ? errorResponse(response.description, response.codes ?? [])
        : {
            description: response.description,
            ...(response.schema === undefined
              ? {}
              : {
                  content: {
                    'application/json': { schema: jsonSchemaOf(response.schema, 'output', components) },
                  },
                }),
          };
  }
  const add = (status: number, description: string, codes: readonly string[], headers?: Json) => {
    const existing = responses[String(status)] as Json | undefined;
    if (existing === undefined) responses[String(status)] = errorResponse(description, codes, headers);
  };
  const takesInput = parameters.length > 0 || doc?.body !== undefined;
  if (takesInput)
    add(400, 'A parameter, header or the body is wrong; the message names each field', [
      ApiErrorCode.VALIDATION_FAILED,
    ]);
  if (doc?.body !== undefined) {
    add(400, 'A parameter, header or the body is wrong', [
      ApiErrorCode.VALIDATION_FAILED,
      ApiErrorCode.MALFORMED_JSON,
    ]);
    add(413, 'The body is over the size limit', [ApiErrorCode.PAYLOAD_TOO_LARGE]);
    add(415, 'The body is not JSON', [ApiErrorCode.UNSUPPORTED_MEDIA_TYPE]);
  }
  if (!route.access.public) {
    add(401, 'No bearer token, or one that is not valid', [ApiErrorCode.UNAUTHENTICATED]);
    add(403, `The token holds none of the roles ${route.access.roles.join(', ')}`, [ApiErrorCode.FORBIDDEN]);
  }
  if (doc?.idempotent === true)
    add(409, 'The Idempotency-Key was used for another request, or its first request is still running', [
      ApiErrorCode.IDEMPOTENCY_KEY_REUSED,
      ApiErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
    ]);
  if (route.rateLimited) add(429, 'Over the rate limit', [ApiErrorCode.TOO_MANY_REQUESTS], RETRY_AFTER);
  add(500, 'An unexpected failure; the message quotes a reference for the logs', [
    ApiErrorCode.INTERNAL_ERROR,
  ]);

  const roles = route.access.public ? [] : route.access.roles;
  const accessLine = route.access.public
    ? 'Public: no token.'
    : `Role: ${roles.map((role) => `\`${role}\``).join(' or ')} (in the bearer token's \`roles\` claim).`;
  return {
    operationId: route.operationId,
    summary: doc?.summary ?? `${route.method} ${route.path}`,
    description: [doc?.description, accessLine].filter((part) => part !== undefined).join('\n\n'),
    ...(doc?.tags === undefined ? {} : { tags: [...doc.tags] }),
    // OpenAPI 3.1: for a non-OAuth scheme the list names roles; several objects are alternatives.
    security: route.access.public ? [] : roles.map((role) => ({ [BEARER_SCHEME]: [role] })),
    'x-required-roles': roles,
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(doc?.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(doc.body, 'input', components) } },
          },
        }),
    responses,
  };
}

/** The whole document; throws when two routes share a method and path or an operationId. */
export function buildOpenApiDocument(info: OpenApiInfo, routes: readonly DocumentedRoute[]): Json {
  const components: Record<string, Json> = {
    Error: {
      type: 'object',
      description: 'Every error of the API',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: {
              type: 'string',
              pattern: '^[A-Z][A-Z0-9_]{0,63}$',
              description: 'Stable, machine-readable',
            },
            message: { type: 'string', description: 'For people; names the field for a 400' },
          },
          required: ['code', 'message'],
        },
      },
      required: ['error'],
    },
  };
  const paths: Record<string, Json> = {};
  const operationIds = new Set<string>();
  const sorted = [...routes].sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path),
  );
  for (const route of sorted) {
    const path = openApiPath(route.path);
    const method = route.method.toLowerCase();
    const item = (paths[path] ??= {});
    if (item[method] !== undefined) throw new Error(`two routes answer ${route.method} ${route.path}`);
    if (operationIds.has(route.operationId))
      throw new Error(`operationId ${route.operationId} is used twice`);
    operationIds.add(route.operationId);
    item[method] = operationOf(route, components);
  }
  return {
    openapi: '3.1.0',
    info: { ...info },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A JWT whose `roles` claim (an array of strings) holds the role an operation names. HS256 with AUTH_JWT_SECRET in development (`npm run token`); RS256/ES256 from the issuer's JWKS in production.",
        },
      },
    },
    'x-request-id-header': REQUEST_ID_HEADER,
  };
}
