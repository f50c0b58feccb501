import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import {
  configureHttpApp,
  httpObservabilityMiddleware,
  JsonLogger,
  METRICS_REGISTRY,
  rateLimitMiddleware,
  RedisRateLimiter,
  TOKEN_VERIFIER,
  type TokenVerifier,
} from '@lendstream/platform';
import type { ApiOptions } from './api-config';
import { API_REDIS } from './api-tokens';
import { ApiModule } from './api.module';
import { API_SERVICE_NAME } from './health/api-observability';

export interface ApiHandle {
  readonly app: NestExpressApplication;
  /** The port it listens on (API_PORT, or the one picked for API_PORT=0). */
  readonly port: number;
  /** Stops taking requests, lets those in flight finish, then closes Postgres, Redis and Kafka. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots the ops API in this process and listens: for main.ts, and for the demo and benchmarks
 * that run it in-process. The routes' conventions (errors, body, headers, CORS) are applied
 * before the routes are registered.
 */
export async function startApi(
  options: ApiOptions,
  { handleSignals = false }: { handleSignals?: boolean } = {},
): Promise<ApiHandle> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    // The JSON body is read by configureHttpApp (its limit, its errors), not by Nest's default parser.
    bodyParser: false,
    // One JSON object per line (JsonLogger); `false` silences Nest (tests of the conventions).
    logger:
      options.logLevels === false
        ? false
        : new JsonLogger({ service: API_SERVICE_NAME, levels: options.logLevels }),
  });
  // First of all: every answer, even a 401 or a 429, is timed and logged with its request id.
  app.use(httpObservabilityMiddleware(app.get<Registry>(METRICS_REGISTRY)));
  // The client address behind this many proxies is the one the anonymous rate limit counts.
  if (options.trustProxyHops > 0) app.set('trust proxy', options.trustProxyHops);
  configureHttpApp(app, {
    bodyLimitBytes: options.bodyLimitBytes,
    corsOrigins: options.corsOrigins,
    rateLimit: rateLimitMiddleware({
      settings: options.rateLimit,
      limiter: new RedisRateLimiter(app.get<Redis>(API_REDIS)),
      verifier: app.get<TokenVerifier>(TOKEN_VERIFIER),
      timeoutMs: options.rateLimitCheckTimeoutMs,
    }),
  });
  // process.exit(0) once closed, rather than Nest's default of re-raising the signal: a clean stop exits 0.
  if (handleSignals) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  try {
    await app.listen(options.port);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return { app, port, close: () => (closing ??= app.close()) };
}
