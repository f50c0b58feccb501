/**
 * Kafka unreachable: the relay publishes through a producer pointed at an address where no
 * broker listens (the shared broker is never stopped). Rows stay pending, their attempts are
 * counted, the relay backs off instead of spinning, and the backlog shows the wait; once the
 * relay's producer reaches a broker again, the same relay publishes every row, in order, once.
 */
import { Topics } from '@lendstream/contracts';
import type { DataSource } from 'typeorm';
import { KafkaEventProducer } from '../../libs/messaging/src/adapters/kafka-event-producer';
import type { OutboxRelay } from '../../libs/messaging/src/adapters/outbox-relay';
import type { OutboundMessage } from '../../libs/messaging/src/kafka-record';
import { silentLogger } from '../../libs/messaging/src/logger';
import type { OutboxPublisher } from '../../libs/messaging/src/outbox-messages';
import { KafkaTestKit } from '../support/kafka-helpers';
import {
  commitEvents,
  connectedProducer,
  createRelay,
  creditLineAdjusted,
  outboxRowStates,
  readCreditLines,
  waitForEmptyBacklog,
} from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(60_000);

/** Nothing listens on port 1. */
const UNREACHABLE_BROKER = '127.0.0.1:1';
const OUTAGE_MS = 1_500;

/** Publishes through whichever producer is current: the unreachable one, then the real one. */
class SwitchablePublisher implements OutboxPublisher {
  constructor(public current: OutboxPublisher) {}
  publish(topic: string, messages: readonly OutboundMessage[]): Promise<unknown> {
    return this.current.publish(topic, messages);
  }
}

describe('outbox relay while Kafka is unreachable (real Postgres and Kafka)', () => {
  let database: OutboxTestDatabase;
  let kit: KafkaTestKit;
  let dataSource: DataSource;
  let reachable: KafkaEventProducer;
  let relay: OutboxRelay;

  beforeAll(async () => {
    database = await OutboxTestDatabase.create('kafka_down');
    kit = await KafkaTestKit.create('outbox-kafka-down', [Topics.creditLines], { partitions: 2 });
    dataSource = await database.connect('outbox-kafka-down');
    reachable = await connectedProducer(kit, 'reachable');
  });

  afterAll(async () => {
    await relay?.stop();
    await reachable?.disconnect();
    await kit?.cleanup();
    await database?.cleanup();
  });

  it('keeps rows pending with backoff while Kafka is unreachable, then publishes them all, in order, once', async () => {
    const unreachable = new KafkaEventProducer({
      brokers: [UNREACHABLE_BROKER],
      clientId: `${kit.namespace}-unreachable`,
      topicNamespace: kit.namespace,
      connectionTimeoutMs: 200,
      logger: silentLogger,
    });
    const publisher = new SwitchablePublisher(unreachable);
    relay = createRelay(dataSource, publisher);
    await relay.start();
    const events = Array.from({ length: 20 }, (_, sequence) =>
      creditLineAdjusted(`m-${sequence % 2}`, sequence),
    );
    await commitEvents(dataSource, events.slice(0, 10));
    await commitEvents(dataSource, events.slice(10));
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

    const during = await outboxRowStates(
      dataSource,
      events.map((event) => event.id),
    );
    expect([...during.values()].every((state) => !state.published)).toBe(true);
    // Backoff from 50 ms doubling to 500 ms allows about 7 attempts in 1.5 s; a relay that
    // spun on the failure would make hundreds.
    const attempts = [...during.values()].map((state) => state.attempts);
    expect(Math.min(...attempts)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(12);
    const backlog = await relay.outboxBacklog();
    expect(backlog.pendingCount).toBe(20);
    expect(backlog.oldestPendingAgeMs).toBeGreaterThanOrEqual(OUTAGE_MS - 100);
    expect(relay.status().consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(relay.status().lastError).toMatch(/disconnected|connect/i);
    expect(await kit.readToEnd(Topics.creditLines)).toEqual([]);

    publisher.current = reachable;
    await waitForEmptyBacklog(relay);

    const published = await readCreditLines(kit);
    expect(published).toHaveLength(events.length);
    for (const key of ['m-0', 'm-1']) {
      expect(published.filter((record) => record.key === key).map((record) => record.id)).toEqual(
        events.filter((event) => event.subject === key).map((event) => event.id),
      );
    }
    expect(relay.status()).toMatchObject({ consecutiveFailures: 0, publishedRows: 20 });
  });
});
