import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { JsonLogger } from '@lendstream/platform';
import { profilerOptionsFromEnv } from './profiler-config';
import { PROFILER_SERVICE_NAME, startProfiler } from './start-profiler';

/**
 * The profiler: consumes the order, warehouse and logistics topics into the rolling
 * per-merchant profiles in Redis, and signals the underwriter. SIGTERM or SIGINT drains the
 * batch in flight, then closes Kafka and Redis.
 */
async function main(): Promise<void> {
  // JSON lines from the first one on, a bad environment's error included.
  Logger.overrideLogger(JsonLogger.forProcess(PROFILER_SERVICE_NAME));
  const options = profilerOptionsFromEnv();
  const profiler = await startProfiler(options, { handleSignals: true });
  new Logger('Profiler').log(
    `Profiler is consuming (group ${options.groupId}, key prefix ${options.keyPrefix}, namespace ${options.topicNamespace ?? 'none'})`,
  );
  profiler.app.on('crash', (error: Error) => {
    new Logger('Profiler').fatal(`The Kafka consumer crashed: ${error.message}`);
    void profiler.close().finally(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  new Logger('Profiler').fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
