import { assertInboxConsumer, assertInboxIdentity, eventsToApply, identityKey } from './inbox';

const event = (source: string, id: string, label = '') => ({ source, id, label });

describe('eventsToApply', () => {
  const a = event('/treasury', '1');
  const b = event('/treasury', '2');
  const seen = event('/treasury', '3');

  it.each([
    ['every new event, in order', [a, b], [a, b], [a, b]],
    ['none that were processed before', [a, seen, b], [a, b], [a, b]],
    [
      'the first copy of an event that repeats within the batch',
      [a, event('/treasury', '1', 'copy'), b],
      [a, b],
      [a, b],
    ],
    ['nothing when all were processed', [seen, seen], [], []],
    ['nothing for nothing', [], [], []],
  ])('applies %s', (_case, events, recorded, expected) => {
    expect(eventsToApply(events, new Set(recorded.map(identityKey)))).toEqual(expected);
  });

  it('treats the same id from two sources as two events', () => {
    const fromOrders = event('/orders', '1');
    const fromTreasury = event('/treasury', '1');
    expect(
      eventsToApply(
        [fromOrders, fromTreasury],
        new Set([identityKey(fromOrders), identityKey(fromTreasury)]),
      ),
    ).toEqual([fromOrders, fromTreasury]);
  });
});

describe('identityKey', () => {
  it('cannot be fooled by a separator inside a source or id', () => {
    expect(identityKey({ source: 'a|b', id: 'c' })).not.toBe(identityKey({ source: 'a', id: 'b|c' }));
  });
});

describe('inbox limits', () => {
  it.each([
    ['an empty consumer', () => assertInboxConsumer('')],
    ['a consumer of 129 characters', () => assertInboxConsumer('c'.repeat(129))],
    ['an empty source', () => assertInboxIdentity({ source: '', id: '1' })],
    ['an id of 257 characters', () => assertInboxIdentity({ source: '/s', id: 'i'.repeat(257) })],
  ])('refuses %s', (_case, check) => {
    expect(check).toThrow(RangeError);
  });

  it('accepts names at the limits', () => {
    expect(() => assertInboxConsumer('c'.repeat(128))).not.toThrow();
    expect(() => assertInboxIdentity({ source: 's'.repeat(256), id: 'i'.repeat(256) })).not.toThrow();
  });
});
