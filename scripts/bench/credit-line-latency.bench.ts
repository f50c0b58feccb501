import { deleteKeysUnder } from '../lib/redis-keys';
/**
 * credit-line-latency: from an input event's append to Kafka to its credit-line event's
 * arrival at a consumer of scf.credit-lines.v1, p50 and p99, at a fixed offered load of
 * 1,000 events/s, next to a bare kafkajs consume→produce echo on the same broker in the same
 * run (scripts/lib/echo-latency.ts). Target: p99 <= 4× the echo's p99.
 *
 * The profiler and the underwriter run as child processes on fresh topics, a Redis prefix and
 * a database of their own. A few hundred healthy merchants are pre-filled until they hold
 * active lines; then 1,000 events/s of their next days' trading are offered, among which
 * probes: stock-outs on fresh SKUs, three per merchant, which trip the freeze trigger
 * (>= 3 SKUs out of stock now) or otherwise move the line. Each probe has a unique event
 * time later than any trading event of the run, so the signal it causes carries that time
 * as its asOf and the credit-line event its profileAsOf: a credit-line event is matched to a
 * probe by (merchantId, profileAsOf). Both clocks start at the append acknowledgement.
 */
import { createEvent, encodeEvent, namespacedTopic, Topics } from '@lendstream/contracts';
import { KafkaEventProducer } from '@lendstream/messaging';
import { loadPlatformEnv } from '@lendstream/platform';
import { MarketConfig, PLATFORM_WAREHOUSES, simulateMarket, Sources } from '@lendstream/simulation';
import { Redis } from 'ioredis';
import { KafkaEventSink } from '../../apps/simulator/src/kafka-event-sink';
import { CLOUDEVENT_HEADERS, MAX_BATCH_SIZE, OutgoingMessage } from '../../apps/simulator/src/event-sink';
import { collectCreditLines } from '../lib/credit-line-collector';
import { measureEcho } from '../lib/echo-latency';
import { settle } from '../lib/feed-market-by-day';
import { createTopicNamespace } from '../lib/kafka-namespace';
import { offerLoad, percentile } from '../lib/offered-load';
import { waitForOutboxDrained } from '../lib/outbox-drained';
import { createScratchDatabase } from '../lib/scratch-database';
import { readSignalAppendTimes, signalKey } from '../lib/signal-append-times';
import { startService, stopService } from '../lib/services';
import { BenchResult } from './bench-result';

const RATE = 1_000;
const LOAD_MS = Number(process.env.BENCH_LOAD_SECONDS ?? 40) * 1000;
/** Samples acknowledged in the first seconds (connections and caches warming) are left out of both. */
const WARM_UP_MS = 2_000;
const MERCHANTS = 300;
const PREFILL_DAYS = 35;
/** More trading than the load can offer, so the background never runs dry. */
const BACKGROUND_DAYS = 5;
const PROBES_PER_MERCHANT = 3;
const SETTLE_TIMEOUT_MS = 300_000;
const TAIL_TIMEOUT_MS = 60_000;
const TARGET_RATIO = 4;
const DAY_MS = 86_400_000;

interface Offered extends OutgoingMessage {
  /** `merchantId|eventTimeMs` of a probe; absent for background trading. */
  readonly probe?: string;
}

/** A probe is known by the key of the signal it causes: (merchantId, its event time = the signal's asOf). */
const probeKey = signalKey;

export async function creditLineLatencyBenchmark(): Promise<BenchResult> {
  const env = loadPlatformEnv();
  const brokers = env.KAFKA_BROKERS;
  const runId = `cll-${Date.now().toString(36)}`;

  console.log(`  echo baseline: ${RATE} records/s for ${LOAD_MS / 1000} s`);
  const echo = await measureEcho(brokers, runId, {
    rate: RATE,
    durationMs: LOAD_MS,
    warmUpMs: WARM_UP_MS,
    partitions: env.KAFKA_PARTITIONS,
  });

  const namespace = await createTopicNamespace(brokers, 'cll', env.KAFKA_PARTITIONS);
  const keyPrefix = namespace.namespace.slice(0, 32);
  const database = await createScratchDatabase(env.DATABASE_URL, 'lendstream_bench_cll');
  const groups = {
    profilerGroupId: `${namespace.namespace}-profiler`,
    underwriterGroupId: `${namespace.namespace}-underwriter`,
  };
  const shared = {
    KAFKA_TOPIC_NAMESPACE: namespace.namespace,
    PROFILE_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: 'error',
  };
  const services = [
    startService({
      name: 'profiler',
      entry: 'apps/profiler/src/main.ts',
      env: { ...shared, PROFILER_GROUP_ID: groups.profilerGroupId },
    }),
    startService({
      name: 'underwriter',
      entry: 'apps/underwriter/src/main.ts',
      env: {
        ...shared,
        DATABASE_URL: database.url,
        UNDERWRITER_GROUP_ID: groups.underwriterGroupId,
        // Large enough never to bind: the benchmark times moves, not the budget's ranking.
        PORTFOLIO_BUDGET_MINOR: String(10n ** 15n),
        SILENCE_SWEEP_INTERVAL_MS: '0',
      },
    }),
  ];
  const redis = new Redis(env.REDIS_URL);
  const creditLines = await collectCreditLines(brokers, namespace);
  const producer = new KafkaEventProducer({ brokers, clientId: 'bench-credit-line-latency' });
  try {
    const market: MarketConfig = {
      seed: 'bench-credit-line-latency',
      merchants: MERCHANTS,
      days: PREFILL_DAYS + BACKGROUND_DAYS,
      start: '2026-05-01',
      archetypeMix: { steady: 2, growing: 1 },
    };
    const startMs = Date.parse(String(market.start));
    const background: Offered[] = [];
    const sink = await KafkaEventSink.connect({ brokers });
    let prefill: OutgoingMessage[] = [];
    let prefilled = 0;
    for (const { topic, key, event } of simulateMarket(market)) {
      const message = {
        topic: namespacedTopic(topic, namespace.namespace),
        key,
        value: encodeEvent(event),
        headers: CLOUDEVENT_HEADERS,
      };
      if (Date.parse(event.time) >= startMs + PREFILL_DAYS * DAY_MS) background.push(message);
      else prefill.push(message);
      if (prefill.length >= MAX_BATCH_SIZE) {
        await sink.publish(prefill);
        prefilled += prefill.length;
        prefill = [];
      }
    }
    await sink.publish(prefill);
    prefilled += prefill.length;
    await sink.close();
    const settleOptions = { brokers, namespace, ...groups, dayTimeoutMs: SETTLE_TIMEOUT_MS };
    await settle(settleOptions);
    const db = await database.connect('bench-credit-line-latency');
    await waitForOutboxDrained(db, SETTLE_TIMEOUT_MS);
    const active: { merchant_id: string }[] = await db.query(
      `SELECT merchant_id FROM credit_lines WHERE status = 'ACTIVE' ORDER BY merchant_id`,
    );
    console.log(
      `  pre-filled ${prefilled.toLocaleString('en-US')} events (${MERCHANTS} merchants × ${PREFILL_DAYS} days): ${active.length} active lines`,
    );
    if (active.length === 0) throw new Error('no merchant holds an active line after the pre-fill');

    // Probe times start after the last trading event of the run and are one millisecond apart.
    const probeStartMs = startMs + (PREFILL_DAYS + BACKGROUND_DAYS) * DAY_MS;
    const probes: Offered[] = [];
    for (let round = 0; round < PROBES_PER_MERCHANT; round += 1) {
      for (const { merchant_id: merchantId } of active) {
        const timeMs = probeStartMs + probes.length;
        const event = createEvent({
          type: 'inventory.stockout',
          id: `${runId}-probe-${probes.length}`,
          source: Sources.warehouse,
          time: new Date(timeMs),
          data: { merchantId, warehouseId: PLATFORM_WAREHOUSES[0], sku: `sku-probe-${round}` },
        });
        probes.push({
          topic: namespace.physical(Topics.warehouse),
          key: merchantId,
          value: encodeEvent(event),
          headers: CLOUDEVENT_HEADERS,
          probe: probeKey(merchantId, timeMs),
        });
      }
    }
    await producer.connect();
    const total = (RATE * LOAD_MS) / 1000;
    const probeEvery = total / probes.length;
    let position = 0;
    let nextProbe = 0;
    let nextBackground = 0;
    const ackedAt = new Map<string, number>();
    const loadStarted = Date.now();
    console.log(`  offering ${RATE} events/s for ${LOAD_MS / 1000} s, ${probes.length} of them probes`);
    const load = await offerLoad<Offered>({
      rate: RATE,
      durationMs: LOAD_MS,
      next: () => {
        position += 1;
        if (nextProbe < probes.length && position >= (nextProbe + 0.5) * probeEvery)
          return probes[nextProbe++];
        return background[nextBackground++];
      },
      send: async (batch) => {
        const byTopic = new Map<string, Offered[]>();
        for (const record of batch) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
        for (const [topic, records] of byTopic) await producer.publish(topic, records);
      },
      acknowledged: (record, at) => {
        if (record.probe !== undefined && at - loadStarted >= WARM_UP_MS) ackedAt.set(record.probe, at);
      },
    });
    await settle({ ...settleOptions, dayTimeoutMs: TAIL_TIMEOUT_MS });
    await waitForOutboxDrained(db, TAIL_TIMEOUT_MS);
    await creditLines.catchUp(TAIL_TIMEOUT_MS);

    const latenciesMs: number[] = [];
    const matchedTypes: Record<string, number> = {};
    // Where the time goes: append → signal (profiler), signal → decision stored (underwriter),
    // decision stored → arrival (commit, relay, broker, consumer). The decisions that moved a
    // line: when each was stored (the database's clock_timestamp(), this machine's clock on
    // both sides) and which signal set it off.
    const decisions = new Map<string, { recordedAtMs: number; triggerId: string }>(
      (
        (await db.query(
          `SELECT decision_id::text AS id, trigger_id, (extract(epoch FROM recorded_at) * 1000)::float8 AS at
           FROM credit_decisions WHERE NOT shadow AND event_type IS NOT NULL`,
        )) as Array<{ id: string; trigger_id: string; at: number }>
      ).map((row) => [row.id, { recordedAtMs: row.at, triggerId: row.trigger_id }]),
    );
    // The profiler's part: the probe's append to its signal's (same merchant, asOf = the probe's time).
    const signals = await readSignalAppendTimes(brokers, namespace, loadStarted, TAIL_TIMEOUT_MS);
    const toDecisionMs: number[] = [];
    const toSignalMs: number[] = [];
    const signalToDecisionMs: number[] = [];
    const decisionToArrivalMs: number[] = [];
    // A probe's event is the one its own signal's decision emitted. Later decisions about the
    // merchant (its trading's late signals, decided as of its newest decision, the probe's) can
    // move the line with the same profileAsOf: they are not the probe's, and counting them took
    // trading seconds later for the probe's latency.
    let notTheProbes = 0;
    for (const { event, arrivedAtMs } of creditLines.events) {
      const key = probeKey(event.subject, Date.parse(event.data.profileAsOf));
      const acked = ackedAt.get(key);
      if (acked === undefined) continue;
      const decision = decisions.get(event.data.decisionId);
      if (decision === undefined || signals.keyOfSignal.get(decision.triggerId) !== key) {
        notTheProbes += 1;
        continue;
      }
      latenciesMs.push(arrivedAtMs - acked);
      matchedTypes[event.type] = (matchedTypes[event.type] ?? 0) + 1;
      toDecisionMs.push(Math.round(decision.recordedAtMs - acked));
      decisionToArrivalMs.push(Math.round(arrivedAtMs - decision.recordedAtMs));
      const signalled = signals.appendedAt.get(key);
      if (signalled !== undefined) {
        toSignalMs.push(Math.round(signalled - acked));
        signalToDecisionMs.push(Math.round(decision.recordedAtMs - signalled));
      }
    }
    const stages = {
      appendToDecisionP50Ms: percentile(toDecisionMs, 50),
      appendToDecisionP99Ms: percentile(toDecisionMs, 99),
      appendToSignalP50Ms: percentile(toSignalMs, 50),
      appendToSignalP99Ms: percentile(toSignalMs, 99),
      signalToDecisionP50Ms: percentile(signalToDecisionMs, 50),
      signalToDecisionP99Ms: percentile(signalToDecisionMs, 99),
      signalSamples: toSignalMs.length,
      eventsAsOfAProbeNotItsOwn: notTheProbes,
      decisionToArrivalP50Ms: percentile(decisionToArrivalMs, 50),
      decisionToArrivalP99Ms: percentile(decisionToArrivalMs, 99),
    };
    console.log(
      `  stages: append → decision p50 ${stages.appendToDecisionP50Ms} ms, p99 ${stages.appendToDecisionP99Ms} ms ` +
        `(append → signal p50 ${stages.appendToSignalP50Ms} ms, p99 ${stages.appendToSignalP99Ms} ms; ` +
        `signal → decision p50 ${stages.signalToDecisionP50Ms} ms, p99 ${stages.signalToDecisionP99Ms} ms); ` +
        `decision → arrival p50 ${stages.decisionToArrivalP50Ms} ms, p99 ${stages.decisionToArrivalP99Ms} ms`,
    );
    // The underwriter's work while the load ran: how many live decisions it stored, and in how
    // many transactions (one recorded_at per transaction: clock_timestamp() differs by row, so
    // group by the transaction id Postgres stamps on each row's xmin).
    const [work] = (await db.query(
      `SELECT count(*)::int AS decisions, count(DISTINCT xmin::text)::int AS transactions
       FROM credit_decisions WHERE NOT shadow AND recorded_at >= to_timestamp($1 / 1000.0)
         AND recorded_at < to_timestamp($2 / 1000.0)`,
      [loadStarted, loadStarted + load.elapsedMs],
    )) as Array<{ decisions: number; transactions: number }>;
    const underwriterWork = {
      liveDecisionsPerSecondDuringLoad: Math.round((work!.decisions / load.elapsedMs) * 1000),
      merchantsPerTransactionDuringLoad: work!.transactions === 0 ? 0 : Math.round(work!.decisions / work!.transactions),
    };
    console.log(
      `  underwriter during the load: ${underwriterWork.liveDecisionsPerSecondDuringLoad} live decisions/s, ` +
        `${underwriterWork.merchantsPerTransactionDuringLoad} merchants per transaction`,
    );
    const value = percentile(latenciesMs, 99);
    const baseline = percentile(echo.latenciesMs, 99);
    const ratio = value / baseline;
    console.log(
      `  pipeline: p50 ${percentile(latenciesMs, 50)} ms, p99 ${value} ms over ${latenciesMs.length} probes moved; ` +
        `echo: p50 ${percentile(echo.latenciesMs, 50)} ms, p99 ${baseline} ms over ${echo.latenciesMs.length} records`,
    );
    return {
      name: 'credit-line-latency',
      unit: 'ms (p99)',
      value,
      baseline,
      ratio,
      target: `ratio <= ${TARGET_RATIO} (p99 vs echo p99)`,
      targetMet: latenciesMs.length > 0 && ratio <= TARGET_RATIO,
      command: 'npm run bench -- credit-line-latency',
      ranAt: new Date().toISOString(),
      details: {
        offeredEventsPerSecond: RATE,
        loadSeconds: LOAD_MS / 1000,
        warmUpExcludedMs: WARM_UP_MS,
        pipelineP50Ms: percentile(latenciesMs, 50),
        pipelineP99Ms: value,
        pipelineMaxMs: Math.max(...latenciesMs),
        pipelineSamples: latenciesMs.length,
        ...stages,
        ...underwriterWork,
        probesOffered: probes.length,
        probesAcknowledgedAfterWarmUp: ackedAt.size,
        matchedEventTypes: matchedTypes,
        eventsOffered: load.offered,
        offeredRateAchieved: Math.round((load.offered / load.elapsedMs) * 1000),
        echoP50Ms: percentile(echo.latenciesMs, 50),
        echoP99Ms: baseline,
        echoSamples: echo.latenciesMs.length,
        echoOffered: echo.offered,
        merchants: MERCHANTS,
        activeLinesBeforeLoad: active.length,
        prefilledEvents: prefilled,
        clock:
          'from the produce acknowledgement (acks=all) to arrival at a kafkajs consumer (maxWait 100 ms), both measured alike',
      },
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await creditLines.stop().catch(() => undefined);
    await Promise.all(services.map(stopService));
    await deleteKeysUnder(redis, keyPrefix);
    redis.disconnect();
    await namespace.dispose();
    await database.drop();
  }
}
