/**
 * When the profiler appended each `profile.changed` signal of a run (the record's timestamp:
 * the producer's clock at publish, kafkajs's default CreateTime), by (merchantId, asOf): the
 * latency benchmark's split of "append → decision" into the profiler's part and the
 * underwriter's. Reads the namespace's signal topic from the beginning, skipping records
 * older than `sinceMs` without decoding them.
 */
import { Topics } from '@lendstream/contracts';
import { createKafkaClient } from '@lendstream/messaging';
import type { TopicNamespace } from './kafka-namespace';

export const signalKey = (merchantId: string, asOfMs: number): string => `${merchantId}|${asOfMs}`;

export interface SignalTimes {
  /** The first signal's append time per (merchantId, asOf). */
  readonly appendedAt: ReadonlyMap<string, number>;
  /** Each signal's (merchantId, asOf), by signal id: what a decision's trigger_id was about. */
  readonly keyOfSignal: ReadonlyMap<string, string>;
}

export async function readSignalAppendTimes(
  brokers: readonly string[],
  namespace: TopicNamespace,
  sinceMs: number,
  timeoutMs: number,
): Promise<SignalTimes> {
  const topic = namespace.physical(Topics.profileChanged);
  const end = (await namespace.admin.fetchTopicOffsets(topic)).reduce(
    (total, partition) => total + Number(partition.high) - Number(partition.low),
    0,
  );
  const groupId = `${namespace.namespace}-signal-reader`;
  const consumer = createKafkaClient({ brokers, clientId: 'lendstream-signal-reader' }).consumer({
    groupId,
    maxWaitTimeInMs: 100,
  });
  const appended = new Map<string, number>();
  const keyOfSignal = new Map<string, string>();
  let read = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${read} of ${end} signals in ${timeoutMs} ms`)),
        timeoutMs,
      );
      if (end === 0) {
        clearTimeout(timer);
        resolve();
      }
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            read += 1;
            const at = Number(message.timestamp);
            if (at < sinceMs || message.value === null) continue;
            const signal = JSON.parse(message.value.toString('utf8')) as {
              id?: string;
              data?: { merchantId?: string; asOf?: string };
            };
            const data = signal.data;
            if (data?.merchantId === undefined || data.asOf === undefined) continue;
            const key = signalKey(data.merchantId, Date.parse(data.asOf));
            if (signal.id !== undefined) keyOfSignal.set(signal.id, key);
            if (!appended.has(key)) appended.set(key, at);
          }
          if (read >= end) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await namespace.admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return { appendedAt: appended, keyOfSignal };
}
