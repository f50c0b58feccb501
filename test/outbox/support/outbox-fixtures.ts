/**
 * Shared pieces of the outbox tests: contract events to emit, a relay wired to a test schema
 * and a test kit's topics with quick timings, and reading a topic back as (key, event id).
 *
 * Imports the relay from its file, not from `@lendstream/messaging`: the library's index also
 * exports Nest modules, which Jest (CommonJS on Node 20) cannot load.
 */
import { randomUUID } from 'node:crypto';
import { CloudEvent, createEvent, Topics } from '@lendstream/contracts';
import type { DataSource } from 'typeorm';
import { KafkaEventProducer } from '../../../libs/messaging/src/adapters/kafka-event-producer';
import { OutboxRelay } from '../../../libs/messaging/src/adapters/outbox-relay';
import { enqueueOutbox } from '../../../libs/messaging/src/adapters/outbox-writer';
import { silentLogger } from '../../../libs/messaging/src/logger';
import type { OutboxPublisher } from '../../../libs/messaging/src/outbox-messages';
import type { OutboxRelayOptions } from '../../../libs/messaging/src/outbox-relay-options';
import { testEndpoints } from '../../support/env';
import { KafkaTestKit, ReadRecord, waitUntil } from '../../support/kafka-helpers';

/** A credit-line event of `merchantId`, with a fresh UUID; `sequence` shows in its data. */
export function creditLineAdjusted(merchantId: string, sequence: number): CloudEvent<'credit-line.adjusted'> {
  return createEvent({
    type: 'credit-line.adjusted',
    id: randomUUID(),
    source: '/lendstream/underwriter',
    time: new Date(Date.UTC(2026, 10, 11, 0, 0, sequence % 60)).toISOString(),
    data: {
      merchantId,
      creditLineId: `cl-${merchantId}`,
      status: 'ACTIVE',
      limitMinor: 1_000_000n + BigInt(sequence),
      availableMinor: 1_000_000n,
      outstandingMinor: BigInt(sequence),
      currency: 'CNY',
      dailyRateBps: 5,
      grade: 'B',
      score: 700,
      reasons: [],
      policyVersion: 'v1',
      decisionId: `d-${sequence}`,
      profileAsOf: '2026-11-11T00:00:00.000Z',
      decidedAt: '2026-11-11T00:00:01.000Z',
    },
  });
}

/** Writes events to the outbox in one committed transaction, as an app would beside its change. */
export async function commitEvents(dataSource: DataSource, events: readonly CloudEvent[]): Promise<void> {
  await dataSource.transaction((manager) => enqueueOutbox(manager, events));
}

/** A producer on the kit's namespace (the relay publishes contract topics; the producer namespaces them). */
export async function connectedProducer(kit: KafkaTestKit, label: string): Promise<KafkaEventProducer> {
  const producer = new KafkaEventProducer({
    brokers: [...testEndpoints.kafkaBrokers],
    clientId: `${kit.namespace}-${label}`,
    topicNamespace: kit.namespace,
    logger: silentLogger,
  });
  await producer.connect();
  return producer;
}

/** Quick timings, so that rebalances and retries happen within a test's seconds. */
export const FAST_RELAY_OPTIONS: OutboxRelayOptions = {
  pollIntervalMs: 50,
  rebalanceIntervalMs: 200,
  retry: { initialDelayMs: 50, maxDelayMs: 500, backoffFactor: 2, jitterRatio: 0.2 },
  stopTimeoutMs: 10_000,
  logger: silentLogger,
};

export function createRelay(
  dataSource: DataSource,
  publisher: OutboxPublisher,
  options: OutboxRelayOptions = {},
): OutboxRelay {
  return new OutboxRelay({ dataSource, publisher }, { ...FAST_RELAY_OPTIONS, ...options });
}

/** A credit-line record read back: its key and its event id. */
export interface PublishedEvent {
  readonly key: string;
  readonly id: string;
  readonly value: string;
  readonly partition: number;
}

export async function readCreditLines(kit: KafkaTestKit): Promise<PublishedEvent[]> {
  return (await kit.readToEnd(Topics.creditLines)).map(toPublishedEvent);
}

export function toPublishedEvent(record: ReadRecord): PublishedEvent {
  const value = record.value!.toString();
  return {
    key: record.key!.toString(),
    id: (JSON.parse(value) as { id: string }).id,
    value,
    partition: record.partition,
  };
}

/** Published-at and attempts of the outbox rows of `eventIds`, by event id. */
export async function outboxRowStates(
  dataSource: DataSource,
  eventIds: readonly string[],
): Promise<Map<string, { published: boolean; attempts: number }>> {
  const rows: Array<{ event_id: string; published: boolean; attempts: number }> = await dataSource.query(
    `SELECT event_id::text AS event_id, published_at IS NOT NULL AS published, attempts
       FROM outbox WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return new Map(rows.map((row) => [row.event_id, { published: row.published, attempts: row.attempts }]));
}

/** Waits until no row is pending; on a timeout, the message shows what every relay was doing. */
export async function waitForEmptyBacklog(
  relay: OutboxRelay,
  relaysToDescribe: readonly OutboxRelay[] = [relay],
  timeoutMs = 15_000,
): Promise<void> {
  await waitUntil(
    'every outbox row to be published',
    async () => (await relay.outboxBacklog()).pendingCount === 0,
    timeoutMs,
  ).catch((error: Error) => {
    const statuses = relaysToDescribe.map((each) => JSON.stringify(each.status()));
    throw new Error(`${error.message}; relays: ${statuses.join(' ')}`);
  });
}
