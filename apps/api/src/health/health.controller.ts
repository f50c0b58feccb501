import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  ApiDocumented,
  ApiErrorCode,
  DependencyStatus,
  describeNotReady,
  errorBody,
  Public,
} from '@lendstream/platform';
import { ReadinessService } from './readiness.service';

/**
 * Liveness and readiness, public (no token), for orchestrators and load balancers:
 * `/health/live` answers while the process serves HTTP; `/health/ready` checks Kafka, Postgres
 * and Redis and answers 503 naming what is down.
 */
const DependencySchema = z.object({ status: z.enum(['up', 'down']), error: z.string().optional() });
const ReadySchema = z.object({ status: z.literal('ready'), checks: z.record(z.string(), DependencySchema) });

@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(ReadinessService) private readonly readiness: ReadinessService) {}

  @Get('live')
  @ApiDocumented({
    summary: 'Liveness',
    description: 'Answers while the process serves HTTP. Not rate limited.',
    tags: ['health'],
    responses: { 200: { description: 'Live', schema: z.object({ status: z.literal('live') }) } },
  })
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiDocumented({
    summary: 'Readiness',
    description: 'Kafka, Postgres and Redis each answer within API_HEALTH_TIMEOUT_MS. Not rate limited.',
    tags: ['health'],
    responses: {
      200: { description: 'Ready', schema: ReadySchema },
      503: { description: 'A dependency is down; `checks` says which', codes: ['NOT_READY'] },
    },
  })
  async ready(
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ status: 'ready'; checks: Record<string, DependencyStatus> } | object> {
    const report = await this.readiness.check();
    if (report.ready) return { status: 'ready', checks: report.checks };
    response.status(503);
    return { ...errorBody(ApiErrorCode.NOT_READY, describeNotReady(report)), checks: report.checks };
  }
}
