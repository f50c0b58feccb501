/**
 * `npm run demo`: the main job, on a fresh clone. Brings the local stack up, runs the
 * profiler and the underwriter on a namespace of fresh topics, a Redis key prefix and a
 * database of their own, simulates a marketplace of a couple of hundred merchants over 60
 * days, fed one day at a time as a live market arrives (plus a few broken messages, to show
 * the dead-letter queue), and reads scf.credit-lines.v1 as finance would. Prints what the
 * profiles say, per archetype and for a sample of merchants, then the credit lines: by
 * grade, exposure against the portfolio budget, why lines were refused or frozen, the events
 * by type, and the timeline of a merchant frozen mid-run by its stock-outs. Lending runs beside
 * them (scripts/demo/lending-demo.ts): merchants draw on their lines, the simulated treasury
 * pays or fails, settlements repay through holdbacks, the daily review accrues interest and
 * marks loans overdue or writes them off; the summary ends with the portfolio, the trial
 * balance and `ledger verify`, which fails the demo on any breach. Then stops what it started
 * and removes its topics, keys and database.
 *
 * Flags: --merchants N (default 200), --days N (default 60), --seed S, --budget YUAN (the
 * portfolio budget, default sized to bind a little), --keep (leave the demo's topics, Redis
 * keys and database in place to look at them), --summary FILE (write where the run lived and
 * what it did as JSON, for a test that checks a kept run on its own).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Topics, TopicName, encodeEvent, createEvent, DeadLetterHeaders } from '@lendstream/contracts';
import { KafkaEventProducer, createKafkaClient } from '@lendstream/messaging';
import { loadPlatformEnv } from '@lendstream/platform';
import { MerchantProfile, RedisProfileStore } from '@lendstream/profile';
import { merchantRoster, MarketConfig, SimulatedMerchant } from '@lendstream/simulation';
import { Redis } from 'ioredis';
import { deleteKeysUnder } from './lib/redis-keys';
import { formatBasisPoints, formatMoney, table } from './lib/format';
import { createTopicNamespace, TopicNamespace, waitForCommitted } from './lib/kafka-namespace';
import { projectRoot, startService, stopService } from './lib/services';
import { collectCreditLines } from './lib/credit-line-collector';
import { feedMarketByDay, settle } from './lib/feed-market-by-day';
import { createScratchDatabase } from './lib/scratch-database';
import { waitForOutboxDrained } from './lib/outbox-drained';
import {
  printEventCounts,
  printExposure,
  printFrozenMidRun,
  printLinesByGrade,
  printRefusalsAndFreezes,
} from './demo/credit-lines-report';
import { LendingDemo } from './demo/lending-demo';

const PROFILE_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];
const INGEST_TIMEOUT_MS = 600_000;
/** Bounds the wait for the services after any one simulated day. */
const DAY_TIMEOUT_MS = 120_000;
const DRAIN_TIMEOUT_MS = 60_000;
/** Days fed as one backlog before the day-by-day pace starts: the policy's tenure is 30 days. */
const BACKLOG_DAYS = 25;
const CURRENCY = 'CNY';
/**
 * Calibrated on the default market (seed, 200 merchants, 60 days): with no budget to speak of
 * the policy offered about ¥2.5 million in all at the end (frozen lines still count toward
 * exposure), so 2.45 million yuan binds a little and PORTFOLIO_BUDGET shows on the weakest lines.
 */
const DEFAULT_BUDGET_YUAN = '2450000';

const { values: flags } = parseArgs({
  options: {
    merchants: { type: 'string', default: '200' },
    days: { type: 'string', default: '60' },
    seed: { type: 'string', default: 'lendstream-demo' },
    budget: { type: 'string', default: DEFAULT_BUDGET_YUAN },
    keep: { type: 'boolean', default: false },
    summary: { type: 'string' },
  },
});

/** What `--summary` writes: where a run lived (to inspect or clean up a kept one) and what it did. */
export interface DemoSummary {
  readonly namespace: string;
  readonly keyPrefix: string;
  readonly databaseName: string;
  readonly databaseUrl: string;
  readonly kept: boolean;
  readonly eventsPublished: number;
  readonly brokenMessages: number;
  readonly creditLineEvents: number;
  readonly drawdownsRequested: number;
  readonly booksHold: boolean;
}

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
  const database = await createScratchDatabase(env.DATABASE_URL, 'lendstream_demo');
  const market: MarketConfig = {
    seed: flags.seed,
    merchants: Number(flags.merchants),
    days: Number(flags.days),
    start: '2026-08-01',
  };
  const profilerGroupId = `${namespace.namespace}-profiler`;
  const underwriterGroupId = `${namespace.namespace}-underwriter`;
  console.log(
    `\n▶ demo on topics ${namespace.namespace}.scf.*, Redis keys ${keyPrefix}:*, database ${database.name}`,
  );

  const shared = {
    KAFKA_TOPIC_NAMESPACE: namespace.namespace,
    PROFILE_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: 'warn',
  };
  const profiler = startService(
    {
      name: 'profiler',
      entry: 'apps/profiler/src/main.ts',
      env: { ...shared, PROFILER_GROUP_ID: profilerGroupId },
    },
    { quiet: false },
  );
  const underwriter = startService(
    {
      name: 'underwriter',
      entry: 'apps/underwriter/src/main.ts',
      env: {
        ...shared,
        DATABASE_URL: database.url,
        UNDERWRITER_GROUP_ID: underwriterGroupId,
        PORTFOLIO_BUDGET_MINOR: String(BigInt(flags.budget) * 100n),
        PORTFOLIO_BUDGET_CURRENCY: CURRENCY,
        // The wall-clock sweep would close lines by the simulated calendar at random moments.
        SILENCE_SWEEP_INTERVAL_MS: '0',
      },
    },
    { quiet: false },
  );
  const redis = new Redis(env.REDIS_URL);
  const creditLines = await collectCreditLines(brokers, namespace);
  const db = await database.connect('lendstream-demo');
  let lending: LendingDemo | undefined;
  let booksHold = false;
  let eventsPublished = 0;
  let brokenMessages = 0;
  try {
    lending = await LendingDemo.start({
      brokers,
      namespace,
      databaseUrl: database.url,
      db,
      marketStart: `${String(market.start)}T00:00:00.000Z`,
      seed: String(market.seed),
      currency: CURRENCY,
    });
    console.log(
      `▶ simulating ${market.merchants} merchants over ${market.days} days (seed "${market.seed}"), one day at a time…`,
    );
    const feed = {
      brokers,
      namespace,
      profilerGroupId,
      underwriterGroupId,
      dayTimeoutMs: DAY_TIMEOUT_MS,
      backlogDays: BACKLOG_DAYS,
      onDay: async (day: number, published: number) => {
        if (day % 10 === 0)
          console.log(
            `  day ${day}: ${published.toLocaleString('en-US')} events, ${creditLines.events.length} credit-line events`,
          );
        // Lines exist only after the policy's tenure: lending starts with the day-by-day pace.
        if (day >= BACKLOG_DAYS) await lending!.onDay(day);
      },
    };
    const published = await feedMarketByDay(market, feed);
    eventsPublished = published.published;
    console.log(
      `  published ${published.published.toLocaleString('en-US')} events in ${(published.elapsedMs / 1000).toFixed(1)} s, ` +
        `the first ${BACKLOG_DAYS} days as a backlog, then day by day with the services at most a day behind`,
    );
    const broken = await publishBrokenMessages(brokers, namespace, market);
    brokenMessages = broken;
    console.log(`  and ${broken} broken messages, which must land in the dead-letter queue`);

    const started = Date.now();
    const total = await namespace.endOffsetTotal(PROFILE_TOPICS);
    await waitForCommitted(namespace, profilerGroupId, PROFILE_TOPICS, total, INGEST_TIMEOUT_MS);
    console.log(
      `▶ the profiler took in all ${total.toLocaleString('en-US')} messages (${((Date.now() - started) / 1000).toFixed(1)} s after the last publish)`,
    );
    await settle(feed);
    await waitForOutboxDrained(db, DRAIN_TIMEOUT_MS);
    if (!(await creditLines.catchUp(DRAIN_TIMEOUT_MS)))
      console.log('  (the credit-line reader did not reach the topic end in time; counts may be short)');

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

    await printLinesByGrade(db, CURRENCY);
    await printExposure(db, CURRENCY);
    await printRefusalsAndFreezes(db);
    printEventCounts(creditLines.events);
    printFrozenMidRun(creditLines.events, roster, String(market.start));
    booksHold = await lending.report(asOf.toISOString());
  } finally {
    await lending?.stop().catch(() => undefined);
    await creditLines.stop().catch(() => undefined);
    await Promise.all([stopService(profiler), stopService(underwriter)]);
    if (!flags.keep) {
      await deleteKeysUnder(redis, keyPrefix);
      await namespace.dispose();
      await database.drop();
    } else {
      console.log(
        `kept topics ${namespace.namespace}.*, Redis keys ${keyPrefix}:* and database ${database.name}`,
      );
      await namespace.admin.disconnect();
      await database.release();
    }
    redis.disconnect();
    if (flags.summary !== undefined) {
      const summary: DemoSummary = {
        namespace: namespace.namespace,
        keyPrefix,
        databaseName: database.name,
        databaseUrl: database.url,
        kept: flags.keep,
        eventsPublished,
        brokenMessages,
        creditLineEvents: creditLines.events.length,
        drawdownsRequested: lending?.drawdownsRequested ?? 0,
        booksHold,
      };
      writeFileSync(flags.summary, `${JSON.stringify(summary, null, 2)}\n`);
    }
    if (!stackWasUp) npmStack('down');
  }
  if (!booksHold) {
    console.error('\n✗ ledger verify found a breach (above): the demo fails');
    process.exitCode = 1;
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
