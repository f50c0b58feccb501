/**
 * The stack's conversations with a broker through kafkajs's admin client: is it serving,
 * which topics exist, create the missing ones. Every call is bounded.
 */
import { Kafka, Partitioners, logLevel, type Admin } from 'kafkajs';
import { isTopicOf, Topics } from '@lendstream/contracts';
import { waitUntil, withTimeout } from './wait';

const ADMIN_CALL_TIMEOUT_MS = 15_000;

/** kafkajs's own logging is off: the stack reports what matters, in its own words. */
function client(brokers: readonly string[]): Kafka {
  return new Kafka({
    clientId: 'lendstream-stack',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
  });
}

/** One admin connection for `work`, always closed. */
export async function withAdmin<T>(
  brokers: readonly string[],
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = client(brokers).admin({ retry: { retries: 2, initialRetryTime: 200 } });
  try {
    await withTimeout(admin.connect(), ADMIN_CALL_TIMEOUT_MS, `connecting to Kafka at ${brokers.join(',')}`);
    return await withTimeout(work(admin), ADMIN_CALL_TIMEOUT_MS, `Kafka admin call to ${brokers.join(',')}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A fresh broker creates __consumer_offsets and loads its coordinators on first use. */
const WARM_UP_TIMEOUT_MS = 45_000;

/**
 * Makes the broker's coordinators ready before `up` returns, so that the first consumer group
 * and the first idempotent producer of a test or a service do not meet "the coordinator is
 * loading" / "not available" errors (retried by kafkajs, but logged as ERROR, and slow).
 * On a warm broker both calls answer in milliseconds.
 */
export async function warmUpCoordinators(brokers: readonly string[], anyTopic: string): Promise<void> {
  const kafka = client(brokers);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const warmUp = async () => {
    // connect() of an idempotent producer asks for a producer id: nothing is sent.
    await producer.connect();
    // Finding a group's coordinator creates and loads the offsets topic; until it is loaded
    // the call fails, so ask again (withAdmin's own retries are short).
    await waitUntil(
      () =>
        withAdmin(brokers, (admin) =>
          admin.fetchOffsets({ groupId: 'lendstream-stack-warm-up', topics: [anyTopic] }),
        ).then(
          () => true,
          () => false,
        ),
      { what: "the broker's group coordinator", timeoutMs: WARM_UP_TIMEOUT_MS, intervalMs: 250 },
    );
  };
  try {
    await withTimeout(
      warmUp(),
      WARM_UP_TIMEOUT_MS,
      "waiting for the broker's group and producer-id coordinators",
    );
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

export interface ClusterSummary {
  readonly clusterId: string;
  readonly brokerCount: number;
}

export function describeCluster(brokers: readonly string[]): Promise<ClusterSummary> {
  return withAdmin(brokers, async (admin) => {
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokerCount: cluster.brokers.length };
  });
}

export interface TopicReport {
  readonly created: readonly string[];
  readonly alreadyThere: readonly string[];
  /** Existing topics with fewer partitions than asked; left alone (adding partitions re-maps keys). */
  readonly underPartitioned: ReadonlyArray<{ readonly topic: string; readonly partitions: number }>;
}

/**
 * Creates each missing topic with `partitions` partitions and replication 1; leaves existing
 * ones as they are. Idempotent; a topic created by someone else meanwhile counts as existing.
 */
export function ensureTopics(
  brokers: readonly string[],
  topics: readonly string[],
  partitions: number,
): Promise<TopicReport> {
  return withAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: topicConfig(topic),
        })),
        // Return only once every partition has a leader, so a producer right after `up` succeeds.
        waitForLeaders: true,
        timeout: 10_000,
      });
    }
    const alreadyThere = topics.filter((topic) => existing.has(topic));
    const metadata =
      alreadyThere.length > 0 ? (await admin.fetchTopicMetadata({ topics: alreadyThere })).topics : [];
    const underPartitioned = metadata
      .filter((topic) => topic.partitions.length < partitions)
      .map((topic) => ({ topic: topic.name, partitions: topic.partitions.length }));
    return { created: missing, alreadyThere, underPartitioned };
  });
}

/**
 * A dead letter is the original message plus our headers: give the DLQ room above the
 * broker's 1 MiB default so that a record near that size can still be dead-lettered
 * instead of retrying forever.
 */
const DEAD_LETTER_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
function topicConfig(topic: string): Array<{ name: string; value: string }> {
  return isTopicOf(topic, Topics.deadLetters)
    ? [{ name: 'max.message.bytes', value: String(DEAD_LETTER_MAX_MESSAGE_BYTES) }]
    : [];
}

/** Topics a developer cares about: Kafka's own (`__consumer_offsets`, …) are left out. */
export function listUserTopics(brokers: readonly string[]): Promise<string[]> {
  return withAdmin(brokers, async (admin) =>
    (await admin.listTopics()).filter((topic) => !topic.startsWith('__')),
  );
}
