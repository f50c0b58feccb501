import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiDocumented, notFound, Public } from '@lendstream/platform';
import { OpenApiDocumentService } from './openapi-document.service';
import { docsAsset, DOCS_PAGE } from './swagger-ui-assets';

/**
 * The API's documentation, public (no token; the anonymous rate limit applies): the OpenAPI
 * document generated from the code at `/docs/openapi.json`, and Swagger UI at `/docs`.
 */
@Controller('docs')
@Public()
export class DocsController {
  constructor(@Inject(OpenApiDocumentService) private readonly openApi: OpenApiDocumentService) {}

  @Get()
  @ApiDocumented({
    summary: 'This documentation, for people (Swagger UI)',
    tags: ['docs'],
    responses: { 200: { description: 'An HTML page' } },
  })
  page(@Res() response: Response): void {
    response.type('html').send(DOCS_PAGE);
  }

  @Get('openapi.json')
  @ApiDocumented({
    summary: 'This documentation, as an OpenAPI 3.1 document',
    tags: ['docs'],
    responses: { 200: { description: 'The OpenAPI document (JSON)' } },
  })
  document(@Res() response: Response): void {
    response.type('json').send(this.openApi.json());
  }

  @Get('assets/:file')
  @ApiDocumented({
    summary: "The documentation page's scripts, styles and icons",
    tags: ['docs'],
    responses: {
      200: { description: 'The file' },
      404: { description: 'No such asset', codes: ['NOT_FOUND'] },
    },
  })
  asset(@Param('file') file: string, @Res() response: Response): void {
    const asset = docsAsset(file);
    if (asset === undefined) throw notFound(`no documentation asset ${JSON.stringify(file)}`);
    response.type(asset.contentType).send(asset.body);
  }
}
