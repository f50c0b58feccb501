import { z } from 'zod';
import { buildOpenApiDocument, DocumentedRoute, openApiPath } from './openapi-document';

const info = { title: 't', version: '1', description: 'd' };
const Body = z.strictObject({ reason: z.string().min(1).max(10) });
const Answer = z.object({ ok: z.boolean(), amountMinor: z.string() });

const freeze: DocumentedRoute = {
  operationId: 'Lines.freeze',
  method: 'POST',
  path: '/v1/merchants/:merchantId/credit-line/freeze',
  access: { public: false, roles: ['ops:write'] },
  rateLimited: true,
  doc: {
    summary: 'Freeze',
    params: { merchantId: z.string().regex(/^m-\d+$/) },
    body: Body,
    idempotent: true,
    responses: {
      200: { description: 'frozen', schema: Answer },
      404: { description: 'no line', codes: ['CREDIT_LINE_NOT_FOUND'] },
    },
  },
};
const health: DocumentedRoute = {
  operationId: 'Health.live',
  method: 'GET',
  path: '/health/live',
  access: { public: true },
  rateLimited: false,
  doc: { summary: 'Live', responses: { 200: { description: 'live' } } },
};

type Operation = {
  security: unknown[];
  parameters?: Array<Record<string, unknown>>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: Record<string, unknown> }>; headers?: object }
  >;
  'x-required-roles': string[];
};
const operation = (document: Record<string, unknown>, path: string, method: string): Operation =>
  (document.paths as Record<string, Record<string, Operation>>)[path]![method]!;

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument(info, [freeze, health]);
  const post = operation(document, '/v1/merchants/{merchantId}/credit-line/freeze', 'post');

  it('is OpenAPI 3.1 with a bearer scheme and the error schema', () => {
    expect(document).toMatchObject({
      openapi: '3.1.0',
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        schemas: { Error: { required: ['error'] } },
      },
    });
  });

  it('names the roles in the security requirement; a public route has none', () => {
    expect(post.security).toEqual([{ bearer: ['ops:write'] }]);
    expect(post['x-required-roles']).toEqual(['ops:write']);
    expect(operation(document, '/health/live', 'get').security).toEqual([]);
    const either = buildOpenApiDocument(info, [
      { ...health, access: { public: false, roles: ['ops:read', 'treasury'] } },
    ]);
    expect(operation(either, '/health/live', 'get').security).toEqual([
      { bearer: ['ops:read'] },
      { bearer: ['treasury'] },
    ]);
  });

  it('documents the parameters, the Idempotency-Key and the body from the zod schemas', () => {
    expect(post.parameters).toEqual([
      { name: 'merchantId', in: 'path', required: true, schema: { type: 'string', pattern: '^m-\\d+$' } },
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    ]);
    expect(post.requestBody!.content['application/json']!.schema).toEqual({
      type: 'object',
      properties: { reason: { type: 'string', minLength: 1, maxLength: 10 } },
      required: ['reason'],
      additionalProperties: false,
    });
    expect(post.responses['200']!.content!['application/json']!.schema).toMatchObject({
      type: 'object',
      properties: { ok: { type: 'boolean' }, amountMinor: { type: 'string' } },
    });
  });

  it('adds the errors the platform answers with, in the error format', () => {
    expect(Object.keys(post.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '429',
      '500',
    ]);
    expect(post.responses['404']!.description).toBe('no line (`CREDIT_LINE_NOT_FOUND`)');
    expect(post.responses['404']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(post.responses['429']!.headers).toHaveProperty('Retry-After');
    expect(Object.keys(operation(document, '/health/live', 'get').responses).sort()).toEqual(['200', '500']);
  });

  it('documents a query field by field, optional ones not required', () => {
    const listed = buildOpenApiDocument(info, [
      {
        ...health,
        path: '/v1/audit',
        doc: {
          summary: 'a',
          query: z.strictObject({ limit: z.string().optional(), action: z.string() }),
          responses: { 200: { description: 'ok' } },
        },
      },
    ]);
    expect(operation(listed, '/v1/audit', 'get').parameters).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'action', in: 'query', required: true, schema: { type: 'string' } },
    ]);
  });

  it('documents a route without an ApiDoc by its method, path and access', () => {
    const bare = buildOpenApiDocument(info, [{ ...freeze, doc: undefined }]);
    expect(operation(bare, '/v1/merchants/{merchantId}/credit-line/freeze', 'post')).toMatchObject({
      summary: 'POST /v1/merchants/:merchantId/credit-line/freeze',
      security: [{ bearer: ['ops:write'] }],
      parameters: [{ name: 'merchantId', in: 'path', required: true, schema: { type: 'string' } }],
    });
  });

  it('refuses two routes on one method and path', () => {
    expect(() => buildOpenApiDocument(info, [freeze, { ...freeze, operationId: 'Other.freeze' }])).toThrow(
      'two routes answer POST /v1/merchants/:merchantId/credit-line/freeze',
    );
  });

  it.each([
    ['/v1/audit', '/v1/audit'],
    ['/v1/merchants/:merchantId/profile', '/v1/merchants/{merchantId}/profile'],
    ['/v1/loans/:loanId/repayments/:id', '/v1/loans/{loanId}/repayments/{id}'],
  ])('openApiPath(%s) = %s', (express, openApi) => expect(openApiPath(express)).toBe(openApi));
});
