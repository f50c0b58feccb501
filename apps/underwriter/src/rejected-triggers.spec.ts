import { createEvent, DeadLetterReason, type CloudEvent } from '@lendstream/contracts';
import type { UnderwritingOutcome } from '@lendstream/credit';
import type { InboundMessage } from '@lendstream/messaging';
import { rejectedTriggers } from './rejected-triggers';

const signal = (merchantId: string, minute: number): CloudEvent<'profile.changed'> =>
  createEvent({
    type: 'profile.changed',
    id: `pc-${merchantId}-${minute}`,
    source: '/lendstream/profiler',
    time: new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString(),
    data: { merchantId, asOf: new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString() },
  }) as CloudEvent<'profile.changed'>;

const messagesOf = (events: CloudEvent<'profile.changed'>[]): InboundMessage<CloudEvent<'profile.changed'>>[] =>
  events.map((event, index) => ({ topic: 't', partition: 0, offset: String(100 + index), key: null, event }));

const violation = { reason: DeadLetterReason.BROKEN_INVARIANT, message: 'line in USD, profile in CNY' };
const decided: UnderwritingOutcome = { kind: 'decided', decisionId: 'd', event: null, line: null };
const rejected: UnderwritingOutcome = { kind: 'rejected', violation };

describe('rejectedTriggers', () => {
  // Merchants in first-seen order: m-1 (offsets 100, 102), m-2 (101), m-3 (103).
  const events = [signal('m-1', 1), signal('m-2', 2), signal('m-1', 3), signal('m-3', 4)];
  const messages = messagesOf(events);

  it.each<[string, UnderwritingOutcome[], string[]]>([
    ['nothing rejected', [decided, decided, decided], []],
    ['every trigger of a rejected merchant', [rejected, decided, { kind: 'duplicate' }], ['100', '102']],
    ['each rejected merchant', [decided, rejected, rejected], ['101', '103']],
  ])('%s', (_case, outcomes, offsets) => {
    const found = rejectedTriggers(messages, events, outcomes);
    expect(found.map((entry) => entry.offset).sort()).toEqual(offsets);
    for (const entry of found) expect(entry.violation).toBe(violation);
  });

  it('never rejects a message it was not handed as a trigger', () => {
    // The loan controller passes on only loan events: a message outside `triggers` stays unrejected.
    const onlyFirst = events.filter((event) => event.data.merchantId === 'm-1');
    expect(rejectedTriggers(messages, onlyFirst, [rejected]).map((entry) => entry.offset)).toEqual(['100', '102']);
  });

  it('refuses to guess when the outcomes do not match the merchants', () => {
    expect(() => rejectedTriggers(messages, events, [rejected])).toThrow(/cannot tell which/);
  });
});
