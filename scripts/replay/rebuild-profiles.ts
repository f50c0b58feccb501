/**
 * Rebuilds every merchant's profile from the input topics into a fresh Redis key prefix
 * (DESIGN.md, "Redis is rebuildable"): the profiler's own consume path (KafkaBatchConsumer →
 * RedisProfileStore.applyBatch, the same Lua script and batching rules) in a fresh consumer
 * group from the beginning, until the group has committed up to the end offsets captured
 * before it started.
 *
 * Why not the whole profiler app: its ingest service publishes a profile-changed signal for
 * every batch, into the same namespace the live underwriter consumes. Rebuilt batches cut
 * differently get new signal ids, so the live underwriter would decide (and emit) again from
 * the fresh prefix it does not even read. A rebuild must change nothing but its own keys.
 * For the same reason rejected events are counted, not dead-lettered a second time (events
 * the contract refuses outright are still dead-lettered by the transport itself).
 */
import { namespacedTopic, TopicName, Topics } from '@lendstream/contracts';
import {
  createKafkaClient,
  KafkaBatchConsumer,
  resolveBatchTransportOptions,
  silentLogger,
  type InboundBatch,
} from '@lendstream/messaging';
import { RedisProfileStore } from '@lendstream/profile';
import type { Admin } from 'kafkajs';
import type Redis from 'ioredis';

export const PROFILE_INPUT_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];

/** A rebuild of a large log takes a while; past this it is abandoned rather than left hanging. */
export const REBUILD_TIMEOUT_MS_DEFAULT = 15 * 60_000;
const PROGRESS_POLL_MS = 200;

export interface RebuildProfilesOptions {
  readonly brokers: readonly string[];
  /** Topic namespace of the inputs; undefined: the un-namespaced (live) topics. */
  readonly topicNamespace: string | undefined;
  readonly redis: Redis;
  /** Must be fresh: the rebuild writes into it from nothing. */
  readonly keyPrefix: string;
  readonly groupId: string;
  readonly timeoutMs?: number;
}

export interface RebuildProfilesReport {
  readonly keyPrefix: string;
  /** Input records up to the end offsets captured at the start, all partitions. */
  readonly recordsToConsume: number;
  /** Applied or recognised as duplicates (a re-published copy): what the live profiler also kept. */
  readonly eventsAccepted: number;
  readonly eventsRejected: number;
  readonly elapsedMs: number;
}

type EndOffsets = ReadonlyMap<string, ReadonlyMap<number, bigint>>;

export async function rebuildProfiles(options: RebuildProfilesOptions): Promise<RebuildProfilesReport> {
  const startedAt = Date.now();
  const store = new RedisProfileStore(options.redis, { keyPrefix: options.keyPrefix });
  await store.loadScript();
  const admin = createKafkaClient({ brokers: options.brokers, clientId: 'lendstream-replay' }).admin();
  await admin.connect();
  let eventsAccepted = 0;
  let eventsRejected = 0;
  const handler = async (batch: InboundBatch): Promise<void> => {
    const outcomes = await store.applyBatch(batch);
    for (const outcome of outcomes) {
      if (outcome.violation === undefined) eventsAccepted += 1;
      else eventsRejected += 1;
    }
  };
  const consumer = new KafkaBatchConsumer(
    resolveBatchTransportOptions({
      brokers: options.brokers,
      clientId: 'lendstream-replay-profiles',
      groupId: options.groupId,
      serviceName: 'replay-profiles',
      topicNamespace: options.topicNamespace,
      fromBeginning: true,
      commitIntervalMs: 100,
      logger: silentLogger,
    }),
    PROFILE_INPUT_TOPICS.map((topic) => ({ topic, handler })),
  );
  try {
    const ends = await endOffsets(admin, options.topicNamespace);
    await consumer.start();
    await waitForCommitted(admin, options.groupId, ends, options.timeoutMs ?? REBUILD_TIMEOUT_MS_DEFAULT);
    return {
      keyPrefix: options.keyPrefix,
      recordsToConsume: [...ends.values()]
        .flatMap((partitions) => [...partitions.values()])
        .reduce((sum, end) => sum + Number(end), 0),
      eventsAccepted,
      eventsRejected,
      elapsedMs: Date.now() - startedAt,
    };
  } finally {
    await consumer.stop();
    // The group was this rebuild's alone; leaving it behind would clutter the broker.
    await admin.deleteGroups([options.groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function endOffsets(admin: Admin, namespace: string | undefined): Promise<EndOffsets> {
  const ends = new Map<string, Map<number, bigint>>();
  for (const topic of PROFILE_INPUT_TOPICS) {
    const physical = namespacedTopic(topic, namespace);
    const partitions = await admin.fetchTopicOffsets(physical);
    ends.set(
      physical,
      new Map(
        partitions
          .filter((partition) => partition.high !== partition.low)
          .map((partition) => [partition.partition, BigInt(partition.high)]),
      ),
    );
  }
  return ends;
}

async function waitForCommitted(
  admin: Admin,
  groupId: string,
  ends: EndOffsets,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = await partitionsBehind(admin, groupId, ends);
    if (behind === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `profile rebuild: ${behind} partitions not consumed to their end after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
  }
}

async function partitionsBehind(admin: Admin, groupId: string, ends: EndOffsets): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
  let behind = 0;
  for (const { topic, partitions } of committed) {
    const topicEnds = ends.get(topic);
    for (const { partition, offset } of partitions) {
      const end = topicEnds?.get(partition);
      if (end !== undefined && BigInt(offset) < end) behind += 1;
    }
  }
  return behind;
}
