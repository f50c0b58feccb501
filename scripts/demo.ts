/**
 * `npm run demo`: the main job, on a fresh clone. Brings the local stack up, runs the
 * services on a namespace of fresh topics, simulates a marketplace of a few hundred
 * merchants over 60 days (plus a few broken messages, to show the dead-letter queue), waits
 * until the profiler has taken everything in, prints what the profiles say, per archetype
 * and for a sample of merchants, then stops what it started and removes its topics and keys.
 *
 * Flags: --merchants N (default 200), --days N (default 60), --seed S, --keep (leave the
 * demo's topics and Redis keys in place to look at them).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Topics, TopicName, encodeEvent, createEvent, DeadLetterHeaders } from '@lendstream/contracts';
import { KafkaEventProducer, createKafkaClient } from '@lendstream/messaging';
import { loadPlatformEnv } from '@lendstream/platform';
import { MerchantProfile, RedisProfileStore } from '@lendstream/profile';
import { merchantRoster, MarketConfig, SimulatedMerchant } from '@lendstream/simulation';
import { Redis } from 'ioredis';
import { KafkaEventSink } from '../apps/simulator/src/kafka-event-sink';
import { publishMarket } from '../apps/simulator/src/publish-market';
import { formatBasisPoints, formatMoney, table } from './lib/format';
import { createTopicNamespace, TopicNamespace, waitForCommitted } from './lib/kafka-namespace';
import { projectRoot, startService, stopService } from './lib/services';

const PROFILE_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];
const INGEST_TIMEOUT_MS = 600_000;

const { values: flags } = parseArgs({
  options: {
    merchants: { type: 'string', default: '200' },
    days: { type: 'string', default: '60' },
    seed: { type: 'string', default: 'lendstream-demo' },
    keep: { type: 'boolean', default: false },
  },
});

function npmStack(command: string): number {
  return (
    spawnSync('npm', ['run', '-s', 'stack', '--', command], {
      cwd: projectRoot,
      stdio: command === 'status' ? 'ignore' : 'inherit',
    }).status ?? 1
  );
}

async function main(): Promise<void> {
  const stackWasUp = npmStack('status') === 0;
  if (npmStack('up') !== 0) process.exit(1);
  const env = loadPlatformEnv();
  const brokers = env.KAFKA_BROKERS;
  const namespace = await createTopicNamespace(brokers, 'demo', env.KAFKA_PARTITIONS);
  const keyPrefix = namespace.namespace.slice(0, 32);
  const market: MarketConfig = {
    seed: flags.seed,
    merchants: Number(flags.merchants),
    days: Number(flags.days),
    start: '2026-08-01',
  };
  console.log(`\n▶ demo on topics ${namespace.namespace}.scf.*, Redis keys ${keyPrefix}:*`);

  const profiler = startService(
    {
      name: 'profiler',
      entry: 'apps/profiler/src/main.ts',
      env: {
        KAFKA_TOPIC_NAMESPACE: namespace.namespace,
        PROFILE_KEY_PREFIX: keyPrefix,
        PROFILER_GROUP_ID: `${namespace.namespace}-profiler`,
        LOG_LEVEL: 'warn',
      },
    },
    { quiet: false },
  );
  const redis = new Redis(env.REDIS_URL);
  try {
    console.log(
      `▶ simulating ${market.merchants} merchants over ${market.days} days (seed "${market.seed}")…`,
    );
    const sink = await KafkaEventSink.connect({ brokers });
    const published = await publishMarket(market, sink, { topicNamespace: namespace.namespace });
    await sink.close();
    console.log(
      `  published ${published.published.toLocaleString('en-US')} events in ${(published.elapsedMs / 1000).toFixed(1)} s`,
    );
    const broken = await publishBrokenMessages(brokers, namespace, market);
    console.log(`  and ${broken} broken messages, which must land in the dead-letter queue`);

    const started = Date.now();
    const total = await namespace.endOffsetTotal(PROFILE_TOPICS);
    await waitForCommitted(
      namespace,
      `${namespace.namespace}-profiler`,
      PROFILE_TOPICS,
      total,
      INGEST_TIMEOUT_MS,
    );
    console.log(
      `▶ the profiler took in all ${total.toLocaleString('en-US')} messages (${((Date.now() - started) / 1000).toFixed(1)} s after the last publish)`,
    );

    const store = new RedisProfileStore(redis, { keyPrefix });
    const asOf = new Date(Date.parse(String(market.start)) + market.days * 86_400_000 - 1);
    const roster = merchantRoster(market);
    const profiles = new Map<string, MerchantProfile>();
    for (const merchant of roster) {
      const profile = await store.readWindows(merchant.merchantId, asOf);
      if (profile !== null) profiles.set(merchant.merchantId, profile);
    }
    printArchetypeSummary(roster, profiles, asOf);
    printSample(roster, profiles);
    await printDeadLetters(brokers, namespace);
  } finally {
    await stopService(profiler);
    if (!flags.keep) {
      await deleteKeys(redis, `${keyPrefix}:*`);
      await namespace.dispose();
    } else {
      console.log(`kept topics ${namespace.namespace}.* and Redis keys ${keyPrefix}:*`);
      await namespace.admin.disconnect();
    }
    redis.disconnect();
    if (!stackWasUp) npmStack('down');
  }
}

/** A few messages a careless producer might send; each must be dead-lettered, none may stop a partition. */
async function publishBrokenMessages(
  brokers: readonly string[],
  namespace: TopicNamespace,
  market: MarketConfig,
): Promise<number> {
  const [first] = merchantRoster(market);
  const merchantId = first!.merchantId;
  const producer = new KafkaEventProducer({ brokers, clientId: 'lendstream-demo' });
  await producer.connect();
  const paid = (amountMinor: string, currency: string) =>
    JSON.stringify({
      specversion: '1.0',
      id: `demo-broken-${amountMinor}-${currency}`,
      source: '/platform/orders',
      type: 'order.paid',
      time: `${String(market.start)}T12:00:00.000Z`,
      subject: merchantId,
      data: { merchantId, orderId: 'o-broken', amountMinor, currency },
    });
  const unknownType = encodeEvent(
    createEvent({
      type: 'order.cancelled',
      id: 'demo-broken-type',
      source: '/platform/orders',
      time: new Date(Date.parse(String(market.start))),
      data: { merchantId, orderId: 'o-1' },
    }),
  ).replace('order.cancelled', 'order.teleported');
  const messages = [
    { key: merchantId, value: 'this is not JSON' },
    { key: merchantId, value: paid('-100', 'CNY') },
    { key: merchantId, value: paid('12.5', 'CNY') },
    { key: merchantId, value: paid('1000', 'USD') },
    { key: merchantId, value: unknownType },
  ];
  await producer.publish(namespace.physical(Topics.orders), messages);
  await producer.disconnect();
  return messages.length;
}

function printArchetypeSummary(
  roster: readonly SimulatedMerchant[],
  profiles: ReadonlyMap<string, MerchantProfile>,
  asOf: Date,
) {
  const rows: string[][] = [];
  const archetypes = [...new Set(roster.map((merchant) => merchant.archetype))];
  for (const archetype of archetypes) {
    const members = roster.filter((merchant) => merchant.archetype === archetype);
    const seen = members
      .map((merchant) => profiles.get(merchant.merchantId))
      .filter((profile) => profile !== undefined);
    if (seen.length === 0) continue;
    const currency = seen[0]!.currency ?? 'CNY';
    const sum = (pick: (profile: MerchantProfile) => bigint) =>
      seen.reduce((total, profile) => total + pick(profile), 0n);
    const count = BigInt(seen.length);
    const paidOrders = sum((profile) => BigInt(profile.windows[30].paidOrders));
    const refunds = sum((profile) => BigInt(profile.windows[30].refunds));
    const delivered = sum((profile) => BigInt(profile.windows[30].shipmentsDelivered));
    const onTime = sum((profile) => BigInt(profile.windows[30].shipmentsDeliveredOnTime));
    rows.push([
      archetype,
      String(seen.length),
      formatMoney(sum((profile) => profile.windows[30].paidAmountMinor) / count, currency),
      formatBasisPoints(paidOrders === 0n ? null : Number((refunds * 10_000n) / paidOrders)),
      (Number(sum((profile) => BigInt(profile.windows[30].stockouts))) / seen.length).toFixed(1),
      formatBasisPoints(delivered === 0n ? null : Number((onTime * 10_000n) / delivered)),
      formatMoney(sum((profile) => profile.receivablesOutstandingMinor) / count, currency),
      formatMoney(sum((profile) => profile.inventory.valueMinor) / count, currency),
    ]);
  }
  console.log(
    `\nProfiles by archetype, 30-day window as of ${asOf.toISOString()} (averages per merchant; rates pooled)\n`,
  );
  console.log(
    table(
      [
        'archetype',
        'merchants',
        'GMV 30d',
        'refund rate',
        'stock-outs 30d',
        'on-time',
        'receivables',
        'inventory',
      ],
      rows,
    ),
  );
}

function printSample(roster: readonly SimulatedMerchant[], profiles: ReadonlyMap<string, MerchantProfile>) {
  const sample = [...new Map(roster.map((merchant) => [merchant.archetype, merchant])).values()];
  const rows = sample.flatMap((merchant) => {
    const profile = profiles.get(merchant.merchantId);
    if (profile === undefined) return [];
    const window = profile.windows[30];
    const currency = profile.currency ?? 'CNY';
    return [
      [
        merchant.merchantId,
        merchant.archetype,
        formatMoney(window.paidAmountMinor, currency),
        String(window.paidOrders),
        formatBasisPoints(window.rates.refundRate.basisPoints),
        String(window.stockouts),
        String(profile.stockKeepingUnitsOutOfStock),
        formatBasisPoints(window.rates.onTimeDeliveryRate.basisPoints),
        formatMoney(profile.receivablesOutstandingMinor, currency),
        String(profile.windows[90].activeDays),
      ],
    ];
  });
  console.log('\nA sample of merchants, one per archetype (30-day window)\n');
  console.log(
    table(
      [
        'merchant',
        'archetype',
        'GMV 30d',
        'orders',
        'refund rate',
        'stock-outs',
        'SKUs out now',
        'on-time',
        'receivables',
        'active days 90d',
      ],
      rows,
    ),
  );
}

async function printDeadLetters(brokers: readonly string[], namespace: TopicNamespace): Promise<void> {
  const total = await namespace.endOffsetTotal([Topics.deadLetters]);
  const consumer = createKafkaClient({ brokers, clientId: 'lendstream-demo' }).consumer({
    groupId: `${namespace.namespace}-dlq-reader`,
  });
  const reasons = new Map<string, number>();
  let read = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: namespace.physical(Topics.deadLetters), fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 15_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const reason = message.headers?.[DeadLetterHeaders.reason]?.toString() ?? '?';
        const error = message.headers?.[DeadLetterHeaders.error]?.toString() ?? '';
        reasons.set(`${reason}: ${error}`, (reasons.get(`${reason}: ${error}`) ?? 0) + 1);
        read += 1;
        if (read >= total) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  console.log(`\nDead-letter queue (${total} messages; every partition kept moving)\n`);
  console.log(
    table(
      ['reason: error', 'count'],
      [...reasons].map(([reason, count]) => [reason, String(count)]),
    ),
  );
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
