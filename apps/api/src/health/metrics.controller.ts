import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { ApiDocumented, METRICS_REGISTRY, Public } from '@lendstream/platform';

/**
 * Prometheus metrics, public (no token) like health, and not rate limited: HTTP latency by
 * route, the Node process's metrics (docs/operations.md lists every series).
 */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @ApiDocumented({
    summary: 'Prometheus metrics',
    description: 'The text exposition format, for a Prometheus scrape. Not rate limited.',
    tags: ['health'],
    responses: { 200: { description: 'Metrics in the Prometheus text format' } },
  })
  async metrics(@Res() response: Response): Promise<void> {
    const text = await this.registry.metrics();
    response.type(this.registry.contentType).send(text);
  }
}
