/**
 * Kafka for integration tests: a fresh set of topics per test (a unique namespace, so tests
 * run in parallel beside each other and beside the stack's own topics), producing raw
 * records or contract events into it, reading a topic to its end, and cleaning it all up.
 *
 *     const kafka = await KafkaTestKit.create('poison', [Topics.orders, Topics.deadLetters]);
 *     afterAll(() => kafka.cleanup());
 *     await kafka.produceEvents([event]);
 *     const deadLetters = await kafka.readToEnd(Topics.deadLetters);
 *
 * Uses kafkajs directly on purpose: the helpers must not depend on the code under test.
 */
import { randomUUID } from 'node:crypto';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  CloudEvent,
  encodeEvent,
  namespacedTopic,
  topicOf,
  TopicName,
} from '@lendstream/contracts';
import { Admin, IHeaders, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { testEndpoints } from './env';

/** Every wait in here is bounded; a broker that does not answer fails the test, it does not hang it. */
const DEFAULT_READ_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 100;
const GROUP_DELETE_ATTEMPTS = 20;
const GROUP_DELETE_RETRY_MS = 250;

export interface TestRecord {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: IHeaders;
  readonly partition?: number;
}

/** A record read back, with its headers decoded as UTF-8 strings (dead-letter headers are text). */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface KafkaTestKitOptions {
  /** Partitions of every topic created (default 1). */
  readonly partitions?: number;
}

export class KafkaTestKit {
  private readonly groups = new Set<string>();
  private producer: Producer | undefined;

  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    /** The namespace every topic of this kit lives under (`<namespace>.<contract topic>`). */
    readonly namespace: string,
    readonly physicalTopics: readonly string[],
  ) {}

  /** Creates the contract topics under a fresh namespace; waits until every partition has a leader. */
  static async create(
    label: string,
    contractTopics: readonly TopicName[],
    options: KafkaTestKitOptions = {},
  ): Promise<KafkaTestKit> {
    const namespace = uniqueName(`test-${label}`);
    const kafka = new Kafka({
      clientId: namespace,
      brokers: [...testEndpoints.kafkaBrokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 3 },
    });
    const admin = kafka.admin();
    await admin.connect();
    const physicalTopics = contractTopics.map((topic) => namespacedTopic(topic, namespace));
    await createTopicsWithLeaders(
      admin,
      physicalTopics.map((topic) => ({
        topic,
        numPartitions: options.partitions ?? 1,
        replicationFactor: 1,
      })),
    );
    return new KafkaTestKit(kafka, admin, namespace, physicalTopics);
  }

  /** The broker's name of a contract topic in this kit. */
  topic(contractTopic: TopicName): string {
    return namespacedTopic(contractTopic, this.namespace);
  }

  /** A consumer group id unique to this kit, deleted on cleanup. */
  groupId(label: string): string {
    const groupId = `${this.namespace}-${label}`;
    this.groups.add(groupId);
    return groupId;
  }

  /** Produces raw records (any bytes, any key) to a contract topic of this kit, acknowledged by all replicas. */
  async produce(contractTopic: TopicName, records: readonly TestRecord[]): Promise<void> {
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.topic(contractTopic),
      acks: -1,
      messages: records.map((record) => ({ ...record })),
    });
  }

  /** Produces contract events as the platform would: key = subject, structured CloudEvents, on their type's topic. */
  async produceEvents(events: readonly CloudEvent[]): Promise<void> {
    for (const event of events) {
      await this.produce(topicOf(event.type), [
        {
          key: event.subject,
          value: encodeEvent(event),
          headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
        },
      ]);
    }
  }

  /** Reads every record of a topic, all partitions, from the start up to its end as of the call. */
  async readToEnd(contractTopic: TopicName, timeoutMs = DEFAULT_READ_TIMEOUT_MS): Promise<ReadRecord[]> {
    const topic = this.topic(contractTopic);
    const ends = await this.admin.fetchTopicOffsets(topic);
    const pending = new Map(
      ends.filter((end) => end.high !== end.low).map((end) => [end.partition, BigInt(end.high)]),
    );
    if (pending.size === 0) return [];

    const groupId = this.groupId(`reader-${randomUUID().slice(0, 8)}`);
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 6_000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    const records: ReadRecord[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let reachedEnd!: () => void;
      const done = new Promise<void>((resolve) => (reachedEnd = resolve));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = pending.get(partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          records.push({
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: decodeHeaders(message.headers),
          });
          if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
          if (pending.size === 0) reachedEnd();
        },
      });
      await withTimeout(done, timeoutMs, `reading ${topic} to its end`);
    } finally {
      await consumer.disconnect();
    }
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }

  /** The group's committed offset per partition of a contract topic ('-1': nothing committed). */
  async committedOffsets(groupId: string, contractTopic: TopicName): Promise<Map<number, string>> {
    const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [this.topic(contractTopic)] });
    return new Map((offsets?.partitions ?? []).map((entry) => [entry.partition, entry.offset]));
  }

  /** Polls `condition` until it holds; fails with `description` after `timeoutMs`. */
  async waitFor(
    description: string,
    condition: () => boolean | Promise<boolean>,
    timeoutMs = DEFAULT_READ_TIMEOUT_MS,
  ): Promise<void> {
    await waitUntil(description, condition, timeoutMs);
  }

  /** Deletes the kit's topics and consumer groups and disconnects. Never throws: cleanup must not mask a failure. */
  async cleanup(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    await this.deleteGroups().catch(() => undefined);
    await this.admin
      .deleteTopics({ topics: [...this.physicalTopics], timeout: 10_000 })
      .catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  /**
   * A group whose last member is still leaving (say, a consumer that finished stopping in the
   * background) cannot be deleted yet: a few bounded retries let it empty first.
   */
  private async deleteGroups(): Promise<void> {
    let remaining = [...this.groups];
    for (let attempt = 0; attempt < GROUP_DELETE_ATTEMPTS && remaining.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, GROUP_DELETE_RETRY_MS));
      const existing = new Set((await this.admin.listGroups()).groups.map((group) => group.groupId));
      remaining = remaining.filter((groupId) => existing.has(groupId));
      if (remaining.length > 0) await this.admin.deleteGroups(remaining).catch(() => undefined);
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer === undefined) {
      this.producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await this.producer.connect();
    }
    return this.producer;
  }
}

/** A name no other test run uses: a label, the time and some randomness. */
export function uniqueName(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

/** Polls `condition` every 100 ms until it holds; rejects after `timeoutMs`. */
export async function waitUntil(
  description: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = DEFAULT_READ_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    decoded[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return decoded;
}

/**
 * Creates topics and waits until every partition has a leader. kafkajs's own leader wait asks
 * for metadata as soon as the topics are created, and a busy broker can answer "does not host
 * this topic-partition" for a moment: a retriable error that kafkajs does not retry there. So
 * the creation is asked again (it is idempotent) and the leaders are awaited here.
 */
async function createTopicsWithLeaders(
  admin: Admin,
  topics: ReadonlyArray<{ topic: string; numPartitions: number; replicationFactor: number }>,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.createTopics({ topics: [...topics], waitForLeaders: false, timeout: 10_000 });
      await waitUntil(
        `leaders for ${topics.length} new topic(s)`,
        async () => {
          try {
            const metadata = await admin.fetchTopicMetadata({ topics: topics.map(({ topic }) => topic) });
            return metadata.topics.every(
              (topic) =>
                topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
            );
          } catch (error) {
            if ((error as { retriable?: boolean }).retriable === true) return false;
            throw error;
          }
        },
        15_000,
      );
      return;
    } catch (error) {
      if (attempt >= 3 || (error as { retriable?: boolean }).retriable !== true) throw error;
    }
  }
}
