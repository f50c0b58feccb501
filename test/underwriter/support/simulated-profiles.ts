import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent, type ProfileInputEvent } from '@lendstream/contracts';
import { PROFILE_CHANGED_SOURCE, RedisProfileStore } from '@lendstream/profile';
import { simulateMarket, type Archetype } from '@lendstream/simulation';
import { TopicLog } from '../../profile/support/profile-batches';

export const DAY_MS = 86_400_000;
export const MARKET_START = '2026-05-01';

/** A seeded market's events, by merchant, in stream order. */
export function simulatedEvents(
  seed: string,
  archetypeMix: Partial<Record<Archetype, number>>,
  merchants: number,
  days: number,
): ProfileInputEvent[] {
  return [...simulateMarket({ seed, merchants, days, start: MARKET_START, archetypeMix })].map(
    ({ event }) => event,
  );
}

/** Feeds events into the real Redis store the way the profiler does (per-topic batches, rising offsets). */
export async function applyToStore(
  store: RedisProfileStore,
  log: TopicLog,
  events: readonly ProfileInputEvent[],
): Promise<void> {
  for (const batch of log.append(events)) {
    for (let from = 0; from < batch.messages.length; from += 500)
      await store.applyBatch({ ...batch, messages: batch.messages.slice(from, from + 500) });
  }
}

export const eventsBefore = (events: readonly ProfileInputEvent[], beforeMs: number) =>
  events.filter((event) => Date.parse(event.time) < beforeMs);

export const dayStartMs = (day: number): number => Date.parse(`${MARKET_START}T00:00:00.000Z`) + day * DAY_MS;

/** A profile.changed signal as the profiler publishes it (fresh id unless given). */
export function profileSignal(merchantId: string, asOf: string, id = `pc-${randomUUID()}`) {
  return createEvent({
    type: 'profile.changed',
    id,
    source: PROFILE_CHANGED_SOURCE,
    time: asOf,
    data: { merchantId, asOf },
  }) as CloudEvent<'profile.changed'>;
}

export const merchantsOf = (events: readonly ProfileInputEvent[]): string[] =>
  [...new Set(events.map((event) => event.data.merchantId))].sort();
