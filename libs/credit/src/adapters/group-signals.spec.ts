import { createEvent, type CloudEvent } from '@lendstream/contracts';
import { uuidFromName } from './deterministic-uuid';
import { groupSignalsByMerchant } from './underwriting-service';

const signal = (merchantId: string, asOf: string, id: string) =>
  createEvent({
    type: 'profile.changed',
    id,
    source: '/lendstream/profiler',
    time: asOf,
    data: { merchantId, asOf },
  }) as CloudEvent<'profile.changed'>;

describe('groupSignalsByMerchant', () => {
  it('keeps one entry per merchant, decided as of its newest signal, with every signal for the inbox', () => {
    const a1 = signal('m-1', '2026-05-02T00:00:00.000Z', 'a1');
    const b1 = signal('m-2', '2026-05-01T00:00:00.000Z', 'b1');
    const a2 = signal('m-1', '2026-05-03T00:00:00.000Z', 'a2');
    const a3 = signal('m-1', '2026-05-01T00:00:00.000Z', 'a3'); // a late event's older signal
    const grouped = groupSignalsByMerchant([a1, b1, a2, a3]);
    expect(grouped.map((entry) => [entry.merchantId, entry.newest.id, entry.all.map((s) => s.id)])).toEqual([
      ['m-1', 'a2', ['a1', 'a2', 'a3']],
      ['m-2', 'b1', ['b1']],
    ]);
  });

  it('takes the later signal on equal times', () => {
    const grouped = groupSignalsByMerchant([
      signal('m-1', '2026-05-02T00:00:00.000Z', 'first'),
      signal('m-1', '2026-05-02T00:00:00.000Z', 'second'),
    ]);
    expect(grouped[0]!.newest.id).toBe('second');
  });
});

describe('uuidFromName', () => {
  it('is a stable RFC 9562 version-8 UUID per name', () => {
    const id = uuidFromName('decision\nsignal\n/lendstream/profiler\npc-1\nm-1\nv1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromName('decision\nsignal\n/lendstream/profiler\npc-1\nm-1\nv1')).toBe(id);
    expect(uuidFromName('decision\nsignal\n/lendstream/profiler\npc-2\nm-1\nv1')).not.toBe(id);
  });
});
