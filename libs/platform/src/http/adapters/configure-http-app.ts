import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency';
import { ApiExceptionFilter } from './api-exception.filter';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotent-writes';
import { jsonBodyMiddleware } from './json-body.middleware';
import { REQUEST_ID_HEADER } from '../request-id';
import { requestIdMiddleware } from './request-id';

export interface HttpAppOptions {
  /** Largest request body accepted, in bytes (API_BODY_LIMIT_BYTES); larger is a 413. */
  readonly bodyLimitBytes: number;
  /** Origins allowed cross-origin (API_CORS_ORIGINS); empty turns CORS off. */
  readonly corsOrigins: readonly string[];
  /**
   * Rate limits (rateLimitMiddleware), applied after the security headers and before the body
   * is read, so a refused request costs no parsing. None: no limits (tests of the conventions).
   */
  readonly rateLimit?: RequestHandler;
}

/** How long a browser may cache a CORS preflight answer. */
const CORS_PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The HTTP conventions every route of the ops API shares, applied before the routes are
 * registered (call it before `listen`; create the app with `bodyParser: false`): a request id
 * on every request and response, CORS only when configured, security headers (helmet),
 * `Cache-Control: no-store`, the rate limits when given, the JSON body with its size limit, and
 * the contract's error format for every error (one global exception filter).
 */
const noStore = (_request: Request, response: Response, next: NextFunction): void => {
  response.setHeader('Cache-Control', 'no-store');
  next();
};

export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  app.use(requestIdMiddleware);
  if (options.corsOrigins.length > 0)
    app.enableCors({
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER],
      exposedHeaders: ['WWW-Authenticate', 'Retry-After', IDEMPOTENT_REPLAYED_HEADER, REQUEST_ID_HEADER],
      maxAge: CORS_PREFLIGHT_MAX_AGE_SECONDS,
    });
  app.use(helmet());
  // Every answer is about live money and people's credit: no browser or proxy keeps a copy.
  app.use(noStore);
  if (options.rateLimit !== undefined) app.use(options.rateLimit);
  app.use(jsonBodyMiddleware(options.bodyLimitBytes));
  app.useGlobalFilters(new ApiExceptionFilter());
}
