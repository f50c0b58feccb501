/**
 * A relay in a process of its own that dies by SIGKILL right after Kafka acknowledged a round
 * and before the round is marked sent: the worst moment, and a real crash (no finally blocks,
 * no clean disconnect; Postgres ends its session when the connection drops).
 *
 * Run by relay-crash.int-spec.ts with OUTBOX_TEST_SCHEMA and TEST_TOPIC_NAMESPACE set. Reports
 * the event ids it published on stdout as a line starting with PUBLISHED_PREFIX, just before
 * it dies (stdout to a pipe is synchronous on Linux, so the line is not lost).
 */
import { KafkaEventProducer } from '../../../libs/messaging/src/adapters/kafka-event-producer';
import { OutboxRelay } from '../../../libs/messaging/src/adapters/outbox-relay';
import { silentLogger } from '../../../libs/messaging/src/logger';
import { testEndpoints } from '../../support/env';
import { createSchemaDataSource } from './outbox-test-database';

export const PUBLISHED_PREFIX = '@@published ';

async function main(): Promise<void> {
  const schema = process.env.OUTBOX_TEST_SCHEMA!;
  const dataSource = createSchemaDataSource(schema, 'crashing-relay', 2);
  await dataSource.initialize();
  const producer = new KafkaEventProducer({
    brokers: [...testEndpoints.kafkaBrokers],
    clientId: 'crashing-relay',
    topicNamespace: process.env.TEST_TOPIC_NAMESPACE!,
    logger: silentLogger,
  });
  await producer.connect();
  const relay = new OutboxRelay(
    { dataSource, publisher: producer },
    {
      relayName: 'crashing-relay',
      logger: silentLogger,
      afterPublishBeforeMark: (rows) => {
        process.stdout.write(`${PUBLISHED_PREFIX}${JSON.stringify(rows.map((row) => row.eventId))}\n`);
        process.kill(process.pid, 'SIGKILL');
      },
    },
  );
  await relay.start();
}

// Only when run as the child: the test imports PUBLISHED_PREFIX from here too.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`crashing relay failed: ${String(error)}\n`);
    process.exit(2);
  });
}
