import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import { runWithLogContext } from '../log-context';
import { routeLabel } from '../metric-names';
import { httpRequestDurationHistogram } from './metrics-registry';

type ObservedRequest = Request & { requestId?: string };

/** Probes and scrapers call these every few seconds: their lines are debug, not info. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The first middleware of an HTTP app: every line logged while a request is handled carries its
 * request id (the request-id middleware, which runs later, assigns it: the context reads it
 * when a line is written), and when the answer is sent its latency goes to
 * `lendstream_http_request_duration_seconds` by route template, and one access line is logged
 * (method, route, path, status, duration, request id). Registered before everything else, it
 * also times the answers that never reach a route: 401, 413, 429.
 */
export function httpObservabilityMiddleware(registry: Registry): RequestHandler {
  const durations = httpRequestDurationHistogram(registry);
  const logger = new Logger('Http');
  return (request: ObservedRequest, response: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      // A route's template once Express matched it; 'unmatched' for a 404 or an answer given before routing.
      const route = routeLabel(request.baseUrl, (request.route as { path?: unknown } | undefined)?.path);
      const status = response.writableFinished ? response.statusCode : 499; // 499: the client went away first
      durations.observe({ method: request.method, route, status: String(status) }, seconds);
      const path = request.path;
      const line = {
        message: `${request.method} ${path} ${status}`,
        requestId: request.requestId,
        method: request.method,
        route,
        path,
        status,
        durationMs: Math.round(seconds * 1_000_000) / 1_000,
      };
      if (QUIET_PATHS.has(path)) logger.debug(line);
      else if (status >= 500) logger.warn(line);
      else logger.log(line);
    };
    response.once('finish', record);
    response.once('close', record);
    runWithLogContext(() => ({ requestId: request.requestId }), next);
  };
}
