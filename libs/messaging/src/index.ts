/**
 * Kafka plumbing for every Lendstream app: the batch transport (consume), the event producer
 * (publish), dead-lettering and retries. Business code depends on these, never on kafkajs.
 */
export * from './inbound';
export * from './kafka-record';
export * from './logger';
export * from './retry-policy';
export * from './chunking';
export * from './group-commit';
export * from './dead-letter';
export * from './describe-error';
export * from './batch-outcome';
export * from './options-validation';
export * from './kafka-client-options';
export * from './batch-transport-options';
export * from './event-producer-options';
export * from './topic-subscriptions';
export * from './outbound-events';
export * from './partition-batch-processor';
export * from './consumer-metrics';
export { createKafkaClient } from './adapters/kafka-client';
export { KafkaEventProducer } from './adapters/kafka-event-producer';
export { KafkaBatchConsumer } from './adapters/kafka-batch-consumer';
export { KafkaBatchMembers } from './adapters/kafka-batch-members';
export type { BatchSubscription, BatchConsumerState } from './adapters/kafka-batch-consumer';
export { KafkaBatchTransport } from './adapters/kafka-batch-transport';
export type { KafkaBatchTransportStatus, KafkaBatchTransportEvents } from './adapters/kafka-batch-transport';
export { KafkaBatchContext } from './adapters/kafka-batch-context';
export { createNestMessagingLogger, structuredLogMessage } from './adapters/nest-messaging-logger';
export type { StructuredLogMessage } from './adapters/nest-messaging-logger';
export { PrometheusConsumerMetrics, CONSUMER_METRIC_NAMES } from './adapters/prometheus-consumer-metrics';
export * from './messaging.module';
export * from './inbox';
export * from './outbox-messages';
export * from './outbox-shards';
export * from './outbox-relay-options';
export * from './outbox-relay-schedule';
export * from './outbox-relay-status';
export { recordInbox, recordInboxBatch, purgeInbox, inboxPurgeCutoff } from './adapters/inbox-store';
export type { InboxPurgeOptions } from './adapters/inbox-store';
export { enqueueOutbox, MAX_OUTBOX_EVENTS_PER_STATEMENT } from './adapters/outbox-writer';
export { outboxBacklog } from './adapters/outbox-store';
export { OutboxRelay } from './adapters/outbox-relay';
export type { OutboxRelayDependencies } from './adapters/outbox-relay';
export * from './outbox-relay.module';
export { startBatchMicroservice } from './adapters/start-batch-microservice';
export type { BatchMicroservice, BatchMicroserviceOptions } from './adapters/start-batch-microservice';
