import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { JsonLogger } from '@lendstream/platform';
import { underwriterOptionsFromEnv } from './underwriter-config';
import { UNDERWRITER_SERVICE_NAME, startUnderwriter } from './start-underwriter';

/**
 * The underwriter: consumes profile signals, decides credit lines under the portfolio budget,
 * and publishes `scf.credit-lines.v1` through its outbox. SIGTERM or SIGINT drains the batch
 * in flight, stops the sweep and the relay, then closes Kafka, Postgres and Redis.
 */
async function main(): Promise<void> {
  // JSON lines from the first one on, a bad environment's error included.
  Logger.overrideLogger(JsonLogger.forProcess(UNDERWRITER_SERVICE_NAME));
  const options = underwriterOptionsFromEnv();
  const underwriter = await startUnderwriter(options, { handleSignals: true });
  new Logger('Underwriter').log(
    `Underwriter is consuming (group ${options.groupId}, profile prefix ${options.profileKeyPrefix}, namespace ${options.topicNamespace ?? 'none'}, budget ${options.portfolioBudgetMinor} ${options.portfolioBudgetCurrency} minor)`,
  );
  underwriter.app.on('crash', (error: Error) => {
    new Logger('Underwriter').fatal(`The Kafka consumer crashed: ${error.message}`);
    void underwriter.close().finally(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  new Logger('Underwriter').fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
