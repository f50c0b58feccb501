import { createEvent } from '@lendstream/contracts';
import type { DecisionTriggerEvent, UnderwritingOutcome } from '@lendstream/credit';
import { decisionLatencies } from './decision-latency';

const COMMITTED_AT = Date.parse('2026-11-11T08:00:10.000Z');

const signal = (merchantId: string, time: string): DecisionTriggerEvent =>
  createEvent({
    type: 'profile.changed',
    id: `pc-${merchantId}-${time}`,
    source: '/lendstream/profiler',
    time,
    data: { merchantId, asOf: time },
  }) as DecisionTriggerEvent;

const decided: UnderwritingOutcome = { kind: 'decided', decisionId: 'd', event: null, line: null };

describe('decisionLatencies', () => {
  it("measures each merchant's decision from its newest trigger's event time", () => {
    const triggers = [
      signal('m-1', '2026-11-11T08:00:00.000Z'),
      signal('m-2', '2026-11-11T08:00:07.500Z'),
      signal('m-1', '2026-11-11T08:00:04.000Z'),
    ];
    expect(decisionLatencies(triggers, [decided, decided], COMMITTED_AT)).toEqual([
      { trigger: 'signal', seconds: 6 },
      { trigger: 'signal', seconds: 2.5 },
    ]);
  });

  it('takes no sample for a duplicate or a merchant already decided later, and none when outcomes do not pair', () => {
    const triggers = [signal('m-1', '2026-11-11T08:00:00.000Z'), signal('m-2', '2026-11-11T08:00:00.000Z')];
    expect(
      decisionLatencies(
        triggers,
        [{ kind: 'duplicate' }, { kind: 'already-decided', decisionId: 'd' }],
        COMMITTED_AT,
      ),
    ).toEqual([]);
    expect(decisionLatencies(triggers, [decided], COMMITTED_AT)).toEqual([]);
  });

  it('counts an event time ahead of the clock as 0', () => {
    expect(decisionLatencies([signal('m-1', '2026-11-11T08:01:00.000Z')], [decided], COMMITTED_AT)).toEqual([
      { trigger: 'signal', seconds: 0 },
    ]);
  });
});
