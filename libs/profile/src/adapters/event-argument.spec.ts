import { profileDelta } from '../profile-delta';
import { cancelled, paid, snapshot } from '../testing/profile-event-builders';
import { dayCountersOf, DAY_COUNTER_INDEX } from '../day-counters';
import { encodeEventArguments, INCREMENT_OF_ONE_FLAG } from './event-argument';

const deltaOf = (event: Parameters<typeof profileDelta>[0]) => {
  const result = profileDelta(event);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('encodeEventArguments (what the script reads)', () => {
  it('prefixes each event with its length and packs only the non-zero counters, an increment of 1 in one byte', () => {
    const bytes = encodeEventArguments([
      { offset: '7', delta: deltaOf(paid('2026-11-11T10:00:00Z', 1_250n)) },
      { offset: '8', delta: deltaOf(cancelled('2026-11-11T11:00:00Z')) },
      { offset: '9', delta: deltaOf(snapshot('2026-11-11T12:00:00Z', 'wh', 3, 300n)) },
    ]);
    const paidBytes = 24 + (8 + 1) + 1; // the amount in full, one paid order in a byte
    const cancelledBytes = 24 + 1 + 1;
    const snapshotBytes = 24 + 1 + 6 + 14;
    expect(bytes.readUInt16BE(0)).toBe(paidBytes);
    expect(bytes.readUIntBE(2, 6)).toBe(7);
    expect(bytes.readUInt16BE(2 + paidBytes)).toBe(cancelledBytes);
    expect(bytes.readUInt16BE(4 + paidBytes + cancelledBytes)).toBe(snapshotBytes);
    expect(bytes.length).toBe(6 + paidBytes + cancelledBytes + snapshotBytes);
    const paidCountersAt = 2 + 24;
    expect(bytes.readUInt8(paidCountersAt - 1)).toBe(2); // two counters
    expect(bytes.readUInt8(paidCountersAt)).toBe(DAY_COUNTER_INDEX.paidAmountMinor + 1);
    expect(bytes.readUIntBE(paidCountersAt + 2, 6)).toBe(1_250);
    expect(bytes.readUInt8(paidCountersAt + 8)).toBe(
      INCREMENT_OF_ONE_FLAG | (DAY_COUNTER_INDEX.paidOrders + 1),
    );
  });

  it('writes the offset, the fingerprint and the time; the script derives day, hour and tie-breaker from them', () => {
    const delta = deltaOf(paid('2026-11-11T10:00:00.123Z', 5n));
    const bytes = encodeEventArguments([{ offset: '281474976710655', delta }]);
    expect(bytes.readUIntBE(2, 6)).toBe(2 ** 48 - 1);
    expect(bytes.toString('hex', 8, 16)).toBe(delta.fingerprint);
    expect(bytes.readUInt16BE(8)).toBe(delta.tieBreaker);
    expect(bytes.readUIntBE(16, 6)).toBe(Date.parse('2026-11-11T10:00:00.123Z'));
  });

  it('writes amounts beyond 2^53 exactly', () => {
    const large = 2n ** 55n + 3n;
    const delta = {
      ...deltaOf(paid('2026-11-11T10:00:00Z', 1n)),
      counters: dayCountersOf({ paidAmountMinor: large }),
    };
    const bytes = encodeEventArguments([{ offset: '1', delta }]);
    expect(bytes.readUInt8(27)).toBe(Number(large >> 48n));
    expect(BigInt(bytes.readUIntBE(28, 6))).toBe(large & 0xffffffffffffn);
  });

  it('writes the currency, or three zero bytes for an event without money', () => {
    const currencyAt = 2 + 6 + 8 + 6;
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

  it('writes the fingerprint and the stock key as the bytes of their hex digits, whatever their case', () => {
    const delta = {
      ...deltaOf(snapshot('2026-11-11T12:00:00Z', 'wh', 3, 300n)),
      fingerprint: '0A1b2C3d4E5f6789',
    };
    const bytes = encodeEventArguments([{ offset: '1', delta }]);
    expect(bytes.toString('hex', 8, 16)).toBe('0a1b2c3d4e5f6789');
    const stockKeyAt = 2 + 24 + 1; // a snapshot has no counters: the kind byte, then the key
    expect(bytes.toString('hex', stockKeyAt, stockKeyAt + 6)).toBe(
      (delta.stock as { warehouseKey: string }).warehouseKey,
    );
  });

  it.each(['0a1b2c3d4e5f678', '0a1b2c3d4e5f67890', '0a1b2c3d4e5f678g', ' a1b2c3d4e5f6789'])(
    'refuses the fingerprint %p',
    (fingerprint) => {
      const delta = { ...deltaOf(cancelled('2026-11-11T10:00:00Z')), fingerprint };
      expect(() => encodeEventArguments([{ offset: '1', delta }])).toThrow(RangeError);
    },
  );

  it.each([
    ['0', 0],
    ['000281474976710655', 2 ** 48 - 1],
  ])('writes offset %s as %d', (offset, expected) => {
    const bytes = encodeEventArguments([{ offset, delta: deltaOf(cancelled('2026-11-11T10:00:00Z')) }]);
    expect(bytes.readUIntBE(2, 6)).toBe(expected);
  });

  it.each(['-1', '1.5', '1.0', '1e3', ' 1', '0x10', '', String(2 ** 48), '9'.repeat(30), 'x'])(
    'refuses offset %p',
    (offset) => {
      expect(() =>
        encodeEventArguments([{ offset, delta: deltaOf(cancelled('2026-11-11T10:00:00Z')) }]),
      ).toThrow(RangeError);
    },
  );
});
