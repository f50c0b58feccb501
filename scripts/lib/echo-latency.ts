/**
 * The baseline of credit-line-latency: a bare kafkajs consume→produce echo (echo-service.ts,
 * a child process) on the same broker. A client offers `rate` records a second to topic A and
 * times each one from its append acknowledgement to its arrival back on topic B.
 */
import { createKafkaClient, KafkaEventProducer } from '@lendstream/messaging';
import { ensureTopics } from '../stack/kafka-admin';
import { offerLoad } from './offered-load';
import { startService, stopService } from './services';

export interface LatencySamples {
  readonly latenciesMs: readonly number[];
  readonly offered: number;
}

const JOIN_TIMEOUT_MS = 60_000;
const TAIL_MS = 5_000;

export async function measureEcho(
  brokers: readonly string[],
  runId: string,
  options: { rate: number; durationMs: number; warmUpMs: number; partitions: number },
): Promise<LatencySamples> {
  const [input, output] = [`${runId}.echo-in`, `${runId}.echo-out`];
  await ensureTopics(brokers, [input, output], options.partitions);
  const kafka = createKafkaClient({ brokers, clientId: 'bench-echo-client' });
  const admin = kafka.admin();
  const reader = kafka.consumer({ groupId: `${runId}-echo-reader`, maxWaitTimeInMs: 100 });
  const producer = new KafkaEventProducer({ brokers, clientId: 'bench-echo-client' });
  const echo = startService(
    {
      name: 'echo',
      entry: 'scripts/lib/echo-service.ts',
      env: {
        ECHO_BROKERS: brokers.join(','),
        ECHO_IN: input,
        ECHO_OUT: output,
        ECHO_GROUP_ID: `${runId}-echo`,
      },
    },
    { quiet: true },
  );
  const ackedAt = new Map<number, number>();
  const arrivedAt = new Map<number, number>();
  try {
    await admin.connect();
    await producer.connect();
    let readerJoined = false;
    reader.on(reader.events.GROUP_JOIN, () => (readerJoined = true));
    await reader.connect();
    await reader.subscribe({ topic: output, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        arrivedAt.set(Number(message.value?.toString()), Date.now());
      },
    });
    await until(async () => readerJoined && (await groupIsStable(admin, `${runId}-echo`)), JOIN_TIMEOUT_MS);
    let sequence = 0;
    const started = Date.now();
    const { offered } = await offerLoad<number>({
      rate: options.rate,
      durationMs: options.durationMs,
      next: () => (sequence += 1),
      send: (batch) =>
        producer
          .publish(
            input,
            batch.map((record) => ({ key: `k${record % 997}`, value: String(record) })),
          )
          .then(() => undefined),
      acknowledged: (record, at) => {
        if (at - started >= options.warmUpMs) ackedAt.set(record, at);
      },
    });
    await until(async () => [...ackedAt.keys()].every((record) => arrivedAt.has(record)), TAIL_MS).catch(
      () => undefined,
    );
    const latenciesMs = [...ackedAt].flatMap(([record, at]) => {
      const arrived = arrivedAt.get(record);
      return arrived === undefined ? [] : [Math.max(0, arrived - at)];
    });
    return { latenciesMs, offered };
  } finally {
    await reader.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await stopService(echo);
    await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function groupIsStable(
  admin: ReturnType<ReturnType<typeof createKafkaClient>['admin']>,
  groupId: string,
) {
  const { groups } = await admin.describeGroups([groupId]);
  return groups[0]?.state === 'Stable';
}

/** Polls `condition` every 50 ms; throws after `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
