import { Topics } from '@lendstream/contracts';
import { simulateMarket, type MarketConfig } from '@lendstream/simulation';
import { hasCaughtUp, PROFILE_INPUT_TOPICS, produceInBulk } from '../../profile/support/kafka-market';
import { KafkaTestKit } from '../../support/kafka-helpers';
import { DAY_MS } from './simulated-profiles';

const CATCH_UP_TIMEOUT_MS = 180_000;

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
