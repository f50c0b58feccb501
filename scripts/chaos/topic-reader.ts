/**
 * Reads whole topics back (what the services published, what the DLQ holds) with a fresh,
 * throwaway consumer group, up to the end offsets seen when the read started. Bounded: a read
 * that does not reach the end in time fails the run rather than hanging it.
 */
import { createKafkaClient } from '@lendstream/messaging';
import type { Admin } from 'kafkajs';

export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export async function readTopicsToEnd(
  brokers: readonly string[],
  admin: Admin,
  topics: readonly string[],
  timeoutMs: number,
): Promise<TopicRecord[]> {
  const ends = new Map<string, bigint>();
  for (const topic of topics)
    for (const partition of await admin.fetchTopicOffsets(topic))
      if (BigInt(partition.high) > BigInt(partition.low))
        ends.set(`${topic}:${partition.partition}`, BigInt(partition.high));
  if (ends.size === 0) return [];
  const groupId = `chaos-reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const consumer = createKafkaClient({ brokers, clientId: 'lendstream-chaos-reader' }).consumer({
    groupId,
    maxBytes: 64 * 1024 * 1024,
    maxBytesPerPartition: 16 * 1024 * 1024,
  });
  const records: TopicRecord[] = [];
  const remaining = new Set(ends.keys());
  await consumer.connect();
  try {
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading ${topics.join(', ')}: ${remaining.size} partitions short after ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const slot = `${batch.topic}:${batch.partition}`;
          const end = ends.get(slot);
          for (const message of batch.messages) {
            if (end === undefined || BigInt(message.offset) >= end) continue;
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {}))
              if (value !== undefined)
                headers[name] = Array.isArray(value) ? String(value[0]) : value.toString();
            records.push({
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers,
            });
            if (BigInt(message.offset) + 1n >= end) remaining.delete(slot);
          }
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return records;
}
