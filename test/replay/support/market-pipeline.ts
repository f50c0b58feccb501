/**
 * A small simulated market run through the real profiler and underwriter (child processes,
 * as test/underwriter/pipeline does: Jest cannot load Nest 12 in-process), in a topic
 * namespace, key prefix and database of its own, so the replays have real decisions to check.
 */
import { Topics, type TopicName } from '@lendstream/contracts';
import { simulateMarket, type MarketConfig } from '@lendstream/simulation';
import { hasCaughtUp, PROFILE_INPUT_TOPICS, produceInBulk } from '../../profile/support/kafka-market';
import { ProfilerProcess } from '../../profile/support/profiler-process';
import { KafkaTestKit } from '../../support/kafka-helpers';
import { DAY_MS } from '../../underwriter/support/simulated-profiles';
import { UnderwriterProcess } from '../../underwriter/support/underwriter-process';
import { UnderwriterTestDatabase } from '../../underwriter/support/underwriter-database';

const CATCH_UP_TIMEOUT_MS = 180_000;
export const PIPELINE_TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.deadLetters,
  Topics.profileChanged,
  Topics.creditLines,
];

export interface PipelineServices {
  readonly profiler: ProfilerProcess;
  readonly underwriter: UnderwriterProcess;
}

export async function startPipeline(
  kit: KafkaTestKit,
  database: UnderwriterTestDatabase,
  keyPrefix: string,
): Promise<PipelineServices> {
  const shared = { KAFKA_TOPIC_NAMESPACE: kit.namespace, PROFILE_KEY_PREFIX: keyPrefix };
  const profiler = await ProfilerProcess.start({ ...shared, PROFILER_GROUP_ID: kit.groupId('profiler') });
  try {
    const underwriter = await UnderwriterProcess.start({
      ...shared,
      DATABASE_URL: database.url,
      UNDERWRITER_GROUP_ID: kit.groupId('underwriter'),
      SILENCE_SWEEP_INTERVAL_MS: '0',
    });
    return { profiler, underwriter };
  } catch (error) {
    await profiler.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Sends the market day by day, as a live market arrives (the profiler's batches, signals and
 * decisions follow the days instead of one bulk backlog), then waits until the profiler and
 * the underwriter have consumed everything.
 */
export async function runMarket(kit: KafkaTestKit, market: MarketConfig & { start: string }): Promise<void> {
  const events = [...simulateMarket(market)].map(({ topic, event }) => ({ topic, event }));
  const startMs = Date.parse(`${market.start}T00:00:00.000Z`);
  for (let day = 1; day <= market.days; day += 1) {
    const endMs = startMs + day * DAY_MS;
    await produceInBulk(
      kit,
      events.filter(
        ({ event }) => Date.parse(event.time) >= endMs - DAY_MS && Date.parse(event.time) < endMs,
      ),
    );
    await kit.waitFor('the profiler to catch up', () =>
      hasCaughtUp(kit, kit.groupId('profiler'), PROFILE_INPUT_TOPICS),
    );
  }
  await kit.waitFor(
    'the profiler and the underwriter to catch up',
    async () =>
      (await hasCaughtUp(kit, kit.groupId('profiler'), PROFILE_INPUT_TOPICS)) &&
      (await hasCaughtUp(kit, kit.groupId('underwriter'), [Topics.profileChanged])),
    CATCH_UP_TIMEOUT_MS,
  );
}
