/**
 * A small simulated market run through the real profiler and underwriter (child processes,
 * as test/underwriter/pipeline does: Jest cannot load Nest 12 in-process), in a topic
 * namespace, key prefix and database of its own, so the replays have real decisions to check.
 */
import { Topics, type TopicName } from '@lendstream/contracts';
import { ProfilerProcess } from '../../profile/support/profiler-process';
import { KafkaTestKit } from '../../support/kafka-helpers';
import { UnderwriterProcess } from '../../underwriter/support/underwriter-process';
import { UnderwriterTestDatabase } from '../../underwriter/support/underwriter-database';

export const PIPELINE_TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.deadLetters,
  Topics.profileChanged,
  Topics.creditLines,
  // The underwriter also listens to lending's loan events.
  Topics.loans,
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

export { runMarket } from '../../underwriter/support/run-market';
