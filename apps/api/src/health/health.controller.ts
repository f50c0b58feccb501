import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiErrorCode, errorBody, Public } from '@lendstream/platform';
import { describeNotReady, DependencyStatus } from './readiness';
import { ReadinessService } from './readiness.service';

/**
 * Liveness and readiness, public (no token), for orchestrators and load balancers:
 * `/health/live` answers while the process serves HTTP; `/health/ready` checks Kafka, Postgres
 * and Redis and answers 503 naming what is down.
 */
@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(ReadinessService) private readonly readiness: ReadinessService) {}

  @Get('live')
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('ready')
  async ready(
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ status: 'ready'; checks: Record<string, DependencyStatus> } | object> {
    const report = await this.readiness.check();
    if (report.ready) return { status: 'ready', checks: report.checks };
    response.status(503);
    return { ...errorBody(ApiErrorCode.NOT_READY, describeNotReady(report)), checks: report.checks };
  }
}
