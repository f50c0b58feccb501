import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { buildOpenApiDocument, discoverRoutes } from '@lendstream/platform';

const DESCRIPTION = `Finance operations' API of Lendstream (CONTRACT.md, "Ops REST API"): credit lines and their decisions, manual freezes, rolling risk profiles, the portfolio budget and the audit log.

- **Auth**: every operation but health needs \`Authorization: Bearer <jwt>\` whose \`roles\` claim holds the role it names (401 without a valid token, 403 without the role).
- **Errors**: always \`{ "error": { "code", "message" } }\`; a bad parameter, header or body is a 400 \`VALIDATION_FAILED\` whose message names each field.
- **Writes** take an \`Idempotency-Key\`: the same key and request give the first response again (\`Idempotent-Replayed: true\`) and no second effect; the same key with another request is a 409. Every write is in the audit log (\`GET /v1/audit\`).
- **Pages**: \`limit\` 1-100 (default 20) and the \`nextCursor\` of the previous page as \`cursor\`.
- **Rate limits** per caller and route class (reads, writes; per client address without a valid token): 429 with \`Retry-After\`.
- **Money** is always a string of digits in minor units beside its currency.
- Every response carries \`X-Request-Id\` (yours when you send a sane one).`;

/**
 * The OpenAPI document of this app, generated at boot from its routes (method, path, access,
 * and each route's @ApiDocumented schemas): a schema zod cannot express fails the boot, not
 * the first reader.
 */
@Injectable()
export class OpenApiDocumentService implements OnApplicationBootstrap {
  private document: Record<string, unknown> | undefined;
  private text: string | undefined;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    this.document = buildOpenApiDocument(
      { title: 'Lendstream ops API', version: '1', description: DESCRIPTION },
      discoverRoutes(this.discovery, this.scanner, this.reflector),
    );
    this.text = JSON.stringify(this.document);
  }

  /** The document as JSON text. */
  json(): string {
    if (this.text === undefined) throw new Error('the OpenAPI document is built at application bootstrap');
    return this.text;
  }
}
