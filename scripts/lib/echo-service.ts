/**
 * The benchmark's baseline service: a bare kafkajs consumer of ECHO_IN that produces each
 * record, unchanged, to ECHO_OUT. Run as a child process, like the services it is compared
 * with, so that it has an event loop of its own. Its consumer and producer are set the way a
 * latency-minded service would set them (fetch answered at once, acks from all replicas with
 * an idempotent producer, as the outbox relay publishes).
 */
import { createKafkaClient } from '@lendstream/messaging';

async function main(): Promise<void> {
  const [brokers, input, output, groupId] = ['ECHO_BROKERS', 'ECHO_IN', 'ECHO_OUT', 'ECHO_GROUP_ID'].map(
    (name) => {
      const value = process.env[name];
      if (value === undefined || value === '') throw new Error(`echo-service: ${name} is not set`);
      return value;
    },
  ) as [string, string, string, string];
  const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'bench-echo' });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: false });
  consumer.on(consumer.events.GROUP_JOIN, () => console.log('echo: joined'));
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      await producer.send({
        topic: output,
        acks: -1,
        messages: batch.messages.map((message) => ({ key: message.key, value: message.value })),
      });
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  const stop = async () => {
    await consumer.disconnect();
    await producer.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
