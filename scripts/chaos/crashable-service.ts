/**
 * The entry the chaos run starts each service with: it shortens the Kafka group session of
 * every consumer the service creates, then loads the service's own `main.ts` unchanged
 * (CHAOS_SERVICE_ENTRY). Test harness only; nothing in the services refers to it.
 *
 * Why: a SIGKILLed member never says goodbye, so its group waits a whole session (30 s by
 * default) before it hands the partitions to the restarted process. Ten kills per service would
 * then cost five minutes of doing nothing. With a 6 s session (the broker's minimum) a kill costs
 * seconds, and the run can afford to land kills while the services are busy. Nothing else about
 * the consumer changes: heartbeats go out at a third of the session, as the transport demands.
 */
import path from 'node:path';
import { Kafka, type ConsumerConfig } from 'kafkajs';

const sessionTimeout = Number(process.env.CHAOS_SESSION_TIMEOUT_MS ?? '6000');
const entry = process.env.CHAOS_SERVICE_ENTRY;
if (entry === undefined || entry === '') {
  process.stderr.write('crashable-service: CHAOS_SERVICE_ENTRY names the service entry to run\n');
  process.exit(2);
}

const consumer = Kafka.prototype.consumer;
Kafka.prototype.consumer = function shortSessionConsumer(this: Kafka, config: ConsumerConfig) {
  return consumer.call(this, {
    ...config,
    sessionTimeout,
    heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 3)),
  });
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
require(path.resolve(entry));
