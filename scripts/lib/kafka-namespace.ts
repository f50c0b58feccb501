/**
 * A namespace of fresh topics (`<namespace>.<topic>`) for the demo and benchmarks, and a way
 * to tell when a consumer group has committed up to the end of them (how the demo knows the
 * profiler is done, and how benchmarks time a baseline and a service the same way).
 */
import { ALL_TOPICS, namespacedTopic, TopicName } from '@lendstream/contracts';
import { createKafkaClient } from '@lendstream/messaging';
import type { Admin } from 'kafkajs';
import { ensureTopics } from '../stack/kafka-admin';

export interface TopicNamespace {
  readonly namespace: string;
  readonly admin: Admin;
  physical(topic: TopicName): string;
  /** Sum of the end offsets of these topics (how many records they hold, as none is deleted). */
  endOffsetTotal(topics: readonly TopicName[]): Promise<number>;
  /** Sum of a group's committed offsets over these topics (0 for a partition it never committed). */
  committedTotal(groupId: string, topics: readonly TopicName[]): Promise<number>;
  dispose(): Promise<void>;
}

export async function createTopicNamespace(
  brokers: readonly string[],
  label: string,
  partitions: number,
): Promise<TopicNamespace> {
  const namespace = `${label}-${Date.now().toString(36)}`;
  const physical = (topic: TopicName) => namespacedTopic(topic, namespace);
  await ensureTopics(brokers, ALL_TOPICS.map(physical), partitions);
  const admin = createKafkaClient({ brokers, clientId: 'lendstream-scripts' }).admin();
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
  namespace: TopicNamespace,
  groupId: string,
  topics: readonly TopicName[],
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const committed = await namespace.committedTotal(groupId, topics);
    if (committed >= expected) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`group ${groupId} committed ${committed} of ${expected} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
