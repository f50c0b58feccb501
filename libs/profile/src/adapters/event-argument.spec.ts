import { profileDelta } from '../profile-delta';
import { cancelled, paid, snapshot } from '../testing/profile-event-builders';
import { encodeEventArguments } from './event-argument';

const deltaOf = (event: Parameters<typeof profileDelta>[0]) => {
  const result = profileDelta(event);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('encodeEventArguments (what the script reads)', () => {
  it('prefixes each event with its length and packs only the non-zero counters', () => {
    const bytes = encodeEventArguments([
      { offset: '7', delta: deltaOf(paid('2026-11-11T10:00:00Z', 1_250n)) },
      { offset: '8', delta: deltaOf(cancelled('2026-11-11T11:00:00Z')) },
      { offset: '9', delta: deltaOf(snapshot('2026-11-11T12:00:00Z', 'wh', 3, 300n)) },
    ]);
    const paidBytes = 32 + 2 * 8 + 1;
    const cancelledBytes = 32 + 8 + 1;
    const snapshotBytes = 32 + 1 + 6 + 14;
    expect(bytes.readUInt16BE(0)).toBe(paidBytes);
    expect(bytes.readUIntBE(2, 6)).toBe(7);
    expect(bytes.readUInt16BE(2 + paidBytes)).toBe(cancelledBytes);
    expect(bytes.readUInt16BE(4 + paidBytes + cancelledBytes)).toBe(snapshotBytes);
    expect(bytes.length).toBe(6 + paidBytes + cancelledBytes + snapshotBytes);
  });

  it('writes the currency, or three zero bytes for an event without money', () => {
    const currencyAt = 2 + 6 + 8 + 6 + 2 + 4;
    const withMoney = encodeEventArguments([
      { offset: '1', delta: deltaOf(paid('2026-11-11T10:00:00Z', 1n)) },
    ]);
    expect(withMoney.toString('latin1', currencyAt, currencyAt + 3)).toBe('CNY');
    for (let round = 0; round < 20; round += 1) {
      // Buffers come from a pool: the zeros must be written, not assumed.
      const without = encodeEventArguments([
        { offset: '1', delta: deltaOf(cancelled('2026-11-11T10:00:00Z')) },
      ]);
      expect([...without.subarray(currencyAt, currencyAt + 3)]).toEqual([0, 0, 0]);
    }
  });

  it.each(['-1', '1.5', String(2 ** 48), 'x'])('refuses offset %s', (offset) => {
    expect(() =>
      encodeEventArguments([{ offset, delta: deltaOf(cancelled('2026-11-11T10:00:00Z')) }]),
    ).toThrow(RangeError);
  });
});
