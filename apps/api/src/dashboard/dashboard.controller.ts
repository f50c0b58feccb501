import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiDocumented, notFound, Public } from '@lendstream/platform';
import { dashboardAsset } from './dashboard-assets';

/**
 * The finance-operations dashboard: static files, public (they hold no data; every figure the
 * page shows comes from the ops API with the operator's bearer token). Scripts are files of
 * this origin, never inline, so the API's Content-Security-Policy (script-src 'self') holds.
 */
@Controller('dashboard')
@Public()
export class DashboardController {
  @Get()
  @ApiDocumented({
    summary: 'The finance-operations dashboard (an HTML page)',
    description: 'Sign in with a bearer token; the page then reads the /v1 routes and the live feed with it.',
    tags: ['dashboard'],
    responses: { 200: { description: 'An HTML page' } },
  })
  page(@Res() response: Response): void {
    const page = dashboardAsset('index.html')!;
    response.type(page.contentType).send(page.body);
  }

  @Get('assets/:file')
  @ApiDocumented({
    summary: "The dashboard's scripts and styles",
    tags: ['dashboard'],
    responses: {
      200: { description: 'The file' },
      404: { description: 'No such asset', codes: ['NOT_FOUND'] },
    },
  })
  asset(@Param('file') file: string, @Res() response: Response): void {
    const asset = dashboardAsset(file);
    if (asset === undefined || file === 'index.html')
      throw notFound(`no dashboard asset ${JSON.stringify(file)}`);
    response.type(asset.contentType).send(asset.body);
  }
}
