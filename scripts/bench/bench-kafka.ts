/**
 * Kafka helpers for benchmarks: a namespace of fresh topics, and a way to tell when a
 * consumer group has committed up to the end of them (how both the baseline and the
 * service under test are timed, so that they are measured the same way).
 */
import { ALL_TOPICS, namespacedTopic, TopicName } from '@lendstream/contracts';
import { createKafkaClient } from '@lendstream/messaging';
import type { Admin } from 'kafkajs';
import { ensureTopics } from '../stack/kafka-admin';

export interface BenchTopics {
  readonly namespace: string;
  readonly admin: Admin;
  physical(topic: TopicName): string;
  /** Sum of the end offsets of these topics (how many records they hold, as none is deleted). */
  endOffsetTotal(topics: readonly TopicName[]): Promise<number>;
  /** Sum of a group's committed offsets over these topics (0 for a partition it never committed). */
  committedTotal(groupId: string, topics: readonly TopicName[]): Promise<number>;
  dispose(): Promise<void>;
}

export async function createBenchTopics(
  brokers: readonly string[],
  label: string,
  partitions: number,
): Promise<BenchTopics> {
  const namespace = `bench-${label}-${Date.now().toString(36)}`;
  const physical = (topic: TopicName) => namespacedTopic(topic, namespace);
  await ensureTopics(brokers, ALL_TOPICS.map(physical), partitions);
  const admin = createKafkaClient({ brokers, clientId: 'lendstream-bench' }).admin();
  await admin.connect();
  return {
    namespace,
    admin,
    physical,
    async endOffsetTotal(topics) {
      let total = 0;
      for (const topic of topics) {
        for (const partition of await admin.fetchTopicOffsets(physical(topic)))
          total += Number(partition.high);
      }
      return total;
    },
    async committedTotal(groupId, topics) {
      const offsets = await admin.fetchOffsets({ groupId, topics: topics.map(physical) });
      let total = 0;
      for (const topic of offsets) {
        for (const partition of topic.partitions) total += Math.max(0, Number(partition.offset));
      }
      return total;
    },
    async dispose() {
      await admin.deleteTopics({ topics: ALL_TOPICS.map(physical) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Polls until a group has committed `expected` records over `topics`; returns when it did (ms since epoch). */
export async function waitForCommitted(
  bench: BenchTopics,
  groupId: string,
  topics: readonly TopicName[],
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const committed = await bench.committedTotal(groupId, topics);
    if (committed >= expected) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`group ${groupId} committed ${committed} of ${expected} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
