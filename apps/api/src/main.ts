import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { describeAuthSettings, JsonLogger } from '@lendstream/platform';
import { apiOptionsFromEnv } from './api-config';
import { API_SERVICE_NAME } from './health/api-observability';
import { startApi } from './start-api';

/**
 * The ops REST API (CONTRACT.md, "Ops REST API"). SIGTERM or SIGINT stops taking requests,
 * lets those in flight finish, then closes Postgres, Redis and Kafka, and exits 0.
 */
async function main(): Promise<void> {
  // JSON lines from the first one on, a bad environment's error included.
  Logger.overrideLogger(JsonLogger.forProcess(API_SERVICE_NAME));
  const options = apiOptionsFromEnv();
  const logger = new Logger('Api');
  const api = await startApi(options, { handleSignals: true });
  if (options.auth.mode === 'hs256' && options.auth.usesDevelopmentSecret)
    logger.warn(
      'AUTH_JWT_SECRET is unset: tokens are checked with the public DEVELOPMENT secret (never in production)',
    );
  logger.log(
    `API is listening on port ${api.port} (${describeAuthSettings(options.auth)}; body limit ${options.bodyLimitBytes} bytes; CORS ${
      options.corsOrigins.length === 0 ? 'off' : options.corsOrigins.join(', ')
    })`,
  );
}

main().catch((error: unknown) => {
  new Logger('Api').fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
