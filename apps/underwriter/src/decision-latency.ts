import {
  groupSignalsByMerchant,
  type DecisionTriggerEvent,
  type UnderwritingOutcome,
} from '@lendstream/credit';

export interface DecisionLatencySample {
  readonly trigger: 'signal' | 'loan-event';
  readonly seconds: number;
}

/**
 * How long each decision of a handled batch took from its trigger's event time to its commit:
 * one sample per merchant decided (not for a duplicate, nor for a merchant already decided as
 * of a later instant). A merchant's decision is made as of its newest trigger in the batch
 * (UnderwritingService), so that trigger's time is where the latency starts; a profile signal's
 * time is the event time of the newest input event behind it. Event times ahead of the clock
 * count as 0. UnderwritingService answers with one outcome per merchant, in the order
 * groupSignalsByMerchant gives them; if the counts ever disagree no sample is taken rather than
 * a wrong one. Pure.
 */
export function decisionLatencies(
  triggers: readonly DecisionTriggerEvent[],
  outcomes: readonly UnderwritingOutcome[],
  committedAtMs: number,
): DecisionLatencySample[] {
  const merchants = groupSignalsByMerchant(triggers);
  if (merchants.length !== outcomes.length) return [];
  const samples: DecisionLatencySample[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.kind !== 'decided') return;
    const newest = merchants[index]!.newest;
    const eventTimeMs = Date.parse(newest.time);
    if (Number.isNaN(eventTimeMs)) return;
    samples.push({
      trigger: newest.type === 'profile.changed' ? 'signal' : 'loan-event',
      seconds: Math.max(0, committedAtMs - eventTimeMs) / 1000,
    });
  });
  return samples;
}
