import { deleteKeysUnder } from '../lib/redis-keys';
/**
 * Ingest: the profiler's events/s on pre-filled topics of at least 200,000 simulated events,
 * next to a no-op kafkajs `eachBatch` consumer on the same topics in the same run.
 * Target: profiler / no-op >= 0.5. Both are timed the same way: from the moment the
 * consumer has joined its group to the moment its committed offsets reach the topics' end.
 * Rounds alternate (no-op, profiler, no-op, profiler…) and the best of each is kept, which
 * damps the noise of a shared machine.
 */
import { Topics, TopicName } from '@lendstream/contracts';
import { createKafkaClient } from '@lendstream/messaging';
import { loadPlatformEnv } from '@lendstream/platform';
import { KafkaEventSink } from '../../apps/simulator/src/kafka-event-sink';
import { publishMarket } from '../../apps/simulator/src/publish-market';
import { startProfiler } from '../../apps/profiler/src/start-profiler';
import { PROFILER_DEFAULTS } from '../../apps/profiler/src/profiler-config';
import { BenchResult } from './bench-result';
import { createTopicNamespace, waitForCommitted, TopicNamespace } from '../lib/kafka-namespace';
import { Redis } from 'ioredis';

const INPUT_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];
const MIN_EVENTS = 200_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const ROUND_TIMEOUT_MS = 300_000;

interface ScriptStats {
  readonly calls: number;
  readonly usec: number;
}

/**
 * The server's EVALSHA totals (`INFO commandstats`). Read before and after a round rather than
 * reset: the Redis is shared. Other clients' scripts in the same window count too, so the
 * figure is an upper bound of the profile script's own time.
 */
async function scriptStats(redis: Redis): Promise<ScriptStats> {
  const line = (await redis.info('commandstats'))
    .split('\n')
    .find((entry) => entry.startsWith('cmdstat_evalsha:'));
  const match = line === undefined ? null : /calls=(\d+),usec=(\d+)/.exec(line);
  return match === null ? { calls: 0, usec: 0 } : { calls: Number(match[1]), usec: Number(match[2]) };
}

async function noOpConsumerRound(
  bench: TopicNamespace,
  brokers: readonly string[],
  total: number,
  round: number,
) {
  const groupId = `${bench.namespace}-noop-${round}`;
  const consumer = createKafkaClient({ brokers, clientId: 'bench-noop' }).consumer({ groupId });
  let joinedAt = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt ||= Date.now();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: INPUT_TOPICS.map(bench.physical), fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      // Nothing but what any consumer must do: take the records, mark them done.
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  const doneAt = await waitForCommitted(bench, groupId, INPUT_TOPICS, total, ROUND_TIMEOUT_MS);
  await consumer.disconnect();
  return (total / (doneAt - joinedAt)) * 1000;
}

async function profilerRound(
  bench: TopicNamespace,
  brokers: readonly string[],
  redisUrl: string,
  total: number,
  round: number,
) {
  const groupId = `${bench.namespace}-profiler-${round}`;
  const keyPrefix = `${bench.namespace}-${round}`;
  const redis = new Redis(redisUrl);
  const scriptBefore = await scriptStats(redis);
  const profiler = await startProfiler({
    redisUrl,
    kafkaBrokers: brokers,
    keyPrefix,
    batchSize: PROFILER_DEFAULTS.batchSize,
    groupId,
    clientId: 'bench-profiler',
    topicNamespace: bench.namespace,
    partitionsConsumedConcurrently: PROFILER_DEFAULTS.partitionsConsumedConcurrently,
    redisCommandTimeoutMs: PROFILER_DEFAULTS.redisCommandTimeoutMs,
    logLevels: ['error'],
  });
  const joinedAt = Date.now(); // startProfiler resolves once the consumer has joined
  const doneAt = await waitForCommitted(bench, groupId, INPUT_TOPICS, total, ROUND_TIMEOUT_MS);
  await profiler.close();
  const scriptAfter = await scriptStats(redis);
  await deleteKeysUnder(redis, keyPrefix);
  redis.disconnect();
  return {
    eventsPerSecond: (total / (doneAt - joinedAt)) * 1000,
    scriptCalls: scriptAfter.calls - scriptBefore.calls,
    scriptMicrosecondsPerEvent: (scriptAfter.usec - scriptBefore.usec) / total,
  };
}

export async function ingestBenchmark(): Promise<BenchResult> {
  const env = loadPlatformEnv();
  const brokers = env.KAFKA_BROKERS;
  const bench = await createTopicNamespace(brokers, 'ingest', env.KAFKA_PARTITIONS);
  try {
    const market = { seed: 'bench-ingest', merchants: 200, days: 30, start: '2026-08-01' };
    const sink = await KafkaEventSink.connect({ brokers });
    const published = await publishMarket(market, sink, { topicNamespace: bench.namespace });
    await sink.close();
    const total = await bench.endOffsetTotal(INPUT_TOPICS);
    if (total < MIN_EVENTS)
      throw new Error(`pre-filled only ${total} events; the benchmark needs ${MIN_EVENTS}`);
    console.log(
      `  pre-filled ${total} events (${published.elapsedMs} ms) for ${market.merchants} merchants × ${market.days} days`,
    );

    const noOp: number[] = [];
    const profiler: number[] = [];
    const scriptCalls: number[] = [];
    const scriptMicrosecondsPerEvent: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      noOp.push(await noOpConsumerRound(bench, brokers, total, round));
      console.log(`  round ${round + 1}: no-op consumer ${Math.round(noOp.at(-1)!)} events/s`);
      const profilerResult = await profilerRound(bench, brokers, env.REDIS_URL, total, round);
      profiler.push(profilerResult.eventsPerSecond);
      scriptCalls.push(profilerResult.scriptCalls);
      scriptMicrosecondsPerEvent.push(profilerResult.scriptMicrosecondsPerEvent);
      console.log(
        `  round ${round + 1}: profiler       ${Math.round(profiler.at(-1)!)} events/s ` +
          `(Redis: ${profilerResult.scriptCalls} script calls, ${profilerResult.scriptMicrosecondsPerEvent.toFixed(1)} µs per event)`,
      );
    }
    const value = Math.max(...profiler);
    const baseline = Math.max(...noOp);
    const ratio = value / baseline;
    return {
      name: 'ingest',
      unit: 'events/s',
      value: Math.round(value),
      baseline: Math.round(baseline),
      ratio,
      target: 'ratio >= 0.5',
      targetMet: ratio >= 0.5,
      command: 'npm run bench -- ingest',
      ranAt: new Date().toISOString(),
      details: {
        events: total,
        merchants: market.merchants,
        days: market.days,
        rounds: ROUNDS,
        profilerEventsPerSecondByRound: profiler.map(Math.round),
        noOpEventsPerSecondByRound: noOp.map(Math.round),
        scriptCallsByRound: scriptCalls,
        // Redis' time in EVALSHA per event (the whole server's: an upper bound of the profile script's).
        scriptMicrosecondsPerEventByRound: scriptMicrosecondsPerEvent.map((value) =>
          Number(value.toFixed(2)),
        ),
        baselineDescription: 'kafkajs eachBatch consumer that only resolves offsets and heartbeats',
      },
    };
  } finally {
    await bench.dispose();
  }
}
