import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { JsonLogger } from '@lendstream/platform';
import { lendingOptionsFromEnv } from './lending-config';
import { LENDING_SERVICE_NAME, startLending } from './start-lending';

/**
 * Lending: consumes treasury's answers (`scf.treasury.v1`), the settled orders
 * (`scf.orders.v1`) and the portal's drawdown requests (`scf.drawdown-requests.v1`), runs the
 * daily loan review on an interval, and publishes disbursements, loan and repayment events
 * through its outbox. SIGTERM or SIGINT drains the batch in flight, stops the review and the
 * relay, then closes Kafka and Postgres.
 */
async function main(): Promise<void> {
  // JSON lines from the first one on, a bad environment's error included.
  Logger.overrideLogger(JsonLogger.forProcess(LENDING_SERVICE_NAME));
  const options = lendingOptionsFromEnv();
  const lending = await startLending(options, { handleSignals: true });
  new Logger('Lending').log(
    `Lending is consuming (group ${options.groupId}, namespace ${options.topicNamespace ?? 'none'}, policy ${options.policy.version}: holdback ${options.policy.holdbackShareBps} bps, write-off at ${options.policy.writeOffDaysPastDue} days past due, review every ${options.reviewIntervalMs} ms)`,
  );
  lending.app.on('crash', (error: Error) => {
    new Logger('Lending').fatal(`The Kafka consumer crashed: ${error.message}`);
    void lending.close().finally(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  new Logger('Lending').fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
