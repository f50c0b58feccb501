/**
 * A consumer of `scf.credit-lines.v1` on a topic namespace, as finance operations would run
 * one: decodes every event against the contract and keeps it with the wall-clock time it
 * arrived (the benchmark's end of the clock). Reads from the beginning of the topic.
 */
import { CloudEvent, decodeEvent, Topics } from '@lendstream/contracts';
import { createKafkaClient } from '@lendstream/messaging';
import type { Consumer } from 'kafkajs';
import type { TopicNamespace } from './kafka-namespace';

export type CreditLineEventType =
  | 'credit-line.granted'
  | 'credit-line.adjusted'
  | 'credit-line.frozen'
  | 'credit-line.unfrozen'
  | 'credit-line.closed';

export interface ArrivedCreditLineEvent {
  readonly event: CloudEvent<CreditLineEventType>;
  readonly arrivedAtMs: number;
}

export interface CreditLineCollector {
  readonly events: readonly ArrivedCreditLineEvent[];
  /** Records that did not decode (expected: none). */
  readonly undecodable: number;
  /** Called for each event as it arrives (the benchmark matches probes here). */
  onEvent?: (arrived: ArrivedCreditLineEvent) => void;
  /** Waits until every record up to the topic's current end has been read; false on timeout. */
  catchUp(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

const POLL_MS = 50;

export async function collectCreditLines(
  brokers: readonly string[],
  namespace: TopicNamespace,
): Promise<CreditLineCollector> {
  const topic = namespace.physical(Topics.creditLines);
  const consumer: Consumer = createKafkaClient({
    brokers,
    clientId: 'lendstream-credit-line-reader',
  }).consumer({
    groupId: `${namespace.namespace}-credit-line-reader`,
    // Ask the broker to answer as soon as one record is there: this consumer stands for a
    // latency-sensitive reader, and the echo baseline's consumer is configured the same way.
    maxWaitTimeInMs: 100,
  });
  const events: ArrivedCreditLineEvent[] = [];
  let read = 0;
  let undecodable = 0;
  const collector: CreditLineCollector = {
    events,
    get undecodable() {
      return undecodable;
    },
    async catchUp(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = (await namespace.admin.fetchTopicOffsets(topic)).reduce(
          (total, partition) => total + Number(partition.high),
          0,
        );
        if (read >= end) return true;
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    stop: () => consumer.disconnect(),
  };
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const arrivedAtMs = Date.now();
      read += 1;
      const decoded = decodeEvent({ topic: Topics.creditLines, key: message.key, value: message.value });
      if (!decoded.ok || !decoded.value.type.startsWith('credit-line.')) {
        undecodable += 1;
        return;
      }
      const arrived = { event: decoded.value as CloudEvent<CreditLineEventType>, arrivedAtMs };
      events.push(arrived);
      collector.onEvent?.(arrived);
    },
  });
  return collector;
}
