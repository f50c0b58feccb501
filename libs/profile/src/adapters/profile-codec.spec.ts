import fc from 'fast-check';
import { DAY_COUNTER_COUNT, EXACT_INTEGER_MAX } from '../day-counters';
import { ProfileState } from '../profile-state';
import { decodeProfile, encodeProfile } from './profile-codec';
import { PROFILE_HEADER_BYTES } from './profile-layout';

const counter = fc.oneof(fc.bigInt({ min: 0n, max: 20n }), fc.bigInt({ min: 0n, max: EXACT_INTEGER_MAX }));
const hexKey = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));
const timeMs = fc.integer({ min: 1, max: 2 ** 48 - 1 });
const position = fc.option(
  fc.record({
    partition: fc.integer({ min: 0, max: 65_534 }),
    fromOffset: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
    throughOffset: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  }),
  { nil: null },
);

const profileState: fc.Arbitrary<ProfileState> = fc.record({
  merchantId: fc.constant('m-000042'),
  currency: fc.option(fc.constantFrom('CNY', 'USD'), { nil: null }),
  firstSeenMs: timeMs,
  newestEventMs: timeMs,
  newestStockEventMs: fc.option(timeMs, { nil: null }),
  days: fc
    .uniqueArray(fc.integer({ min: 0, max: 65_535 }), { maxLength: 120 })
    .chain((days) =>
      fc.tuple(
        ...days
          .sort((a, b) => a - b)
          .map((day) =>
            fc
              .array(counter, { minLength: DAY_COUNTER_COUNT, maxLength: DAY_COUNTER_COUNT })
              .map((counters) => ({ day, counters })),
          ),
      ),
    ),
  carriedTotals: fc.array(fc.bigInt({ min: 0n, max: EXACT_INTEGER_MAX }), { minLength: 3, maxLength: 3 }),
  warehouses: fc.array(
    fc.record({
      warehouseKey: hexKey,
      timeMs,
      tieBreaker: fc.integer({ min: 0, max: 65_535 }),
      onHandUnits: counter,
      inventoryValueMinor: counter,
    }),
    { maxLength: 16 },
  ),
  stockKeepingUnits: fc.array(
    fc.record({
      stockKeepingUnitKey: hexKey,
      timeMs,
      tieBreaker: fc.integer({ min: 0, max: 65_535 }),
      outOfStock: fc.boolean(),
    }),
    { maxLength: 32 },
  ),
  overflowed: fc.boolean(),
  appliedPositions: fc.record({ orders: position, warehouse: position, logistics: position }),
});

describe('profile codec', () => {
  it('round-trips any profile', () => {
    fc.assert(
      fc.property(profileState, (state) => {
        expect(decodeProfile(state.merchantId, encodeProfile(state))).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });

  it('packs a typical day in 16 bytes: six 4-bit fields, six varints and a length byte', () => {
    const counters = [911_781n, 52n, 24_000n, 2n, 1n, 880_000n, 0n, 51n, 50n, 2n, 1n];
    const state: ProfileState = {
      merchantId: 'm-1',
      currency: 'CNY',
      firstSeenMs: 1,
      newestEventMs: 1,
      newestStockEventMs: null,
      days: [{ day: 20_000, counters }],
      carriedTotals: [0n, 0n, 0n],
      warehouses: [],
      stockKeepingUnits: [],
      overflowed: false,
      appliedPositions: { orders: null, warehouse: null, logistics: null },
    };
    expect(encodeProfile(state).length - PROFILE_HEADER_BYTES).toBe(3 + 3 + 1 + 3 + 3 + 1 + 1 + 1);
  });

  it('fails loudly on a truncated or foreign value', () => {
    const state = fc.sample(profileState, { numRuns: 1, seed: 7 })[0]!;
    const bytes = encodeProfile({
      ...state,
      days: [{ day: 1, counters: new Array(DAY_COUNTER_COUNT).fill(1n) }],
    });
    expect(() => decodeProfile('m', bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    const foreign = Buffer.from(bytes);
    foreign[0] = 99;
    expect(() => decodeProfile('m', foreign)).toThrow(/layout 99/);
  });

  it.each<[string, bigint]>([
    ['a nibble just under the escape', 14n],
    ['the escape itself', 15n],
    ['one past the escape', 16n],
    ['the largest 7-byte varint', 2n ** 49n - 1n],
    ['the smallest 8-byte varint', 2n ** 49n],
    ['the largest exact integer', EXACT_INTEGER_MAX],
    ['the largest 8-byte varint', 2n ** 56n - 1n],
  ])('reads back %s in every counter and in the day gap', (_case, value) => {
    const gap = Number(value < 60_000n ? value : 60_000n);
    const state: ProfileState = {
      merchantId: 'm-1',
      currency: 'CNY',
      firstSeenMs: 1,
      newestEventMs: 1,
      newestStockEventMs: null,
      days: [
        { day: 100, counters: new Array<bigint>(DAY_COUNTER_COUNT).fill(value) },
        { day: 100 + gap, counters: new Array<bigint>(DAY_COUNTER_COUNT).fill(value) },
      ],
      carriedTotals: [0n, 0n, 0n],
      warehouses: [],
      stockKeepingUnits: [],
      overflowed: false,
      appliedPositions: { orders: null, warehouse: null, logistics: null },
    };
    expect(decodeProfile('m-1', encodeProfile(state))).toEqual(state);
  });

  it('fails loudly on a value cut anywhere, a day record included', () => {
    const state = fc.sample(
      profileState.filter((drawn) => drawn.days.length > 1),
      { numRuns: 1, seed: 11 },
    )[0]!;
    const bytes = encodeProfile(state);
    for (let length = 0; length < bytes.length; length += 1)
      expect(() => decodeProfile('m', bytes.subarray(0, length))).toThrow(RangeError);
  });

  it('refuses a varint longer than 8 bytes', () => {
    const state: ProfileState = {
      merchantId: 'm-1',
      currency: 'CNY',
      firstSeenMs: 1,
      newestEventMs: 1,
      newestStockEventMs: null,
      days: [{ day: 100, counters: new Array<bigint>(DAY_COUNTER_COUNT).fill(2n ** 63n) }],
      carriedTotals: [0n, 0n, 0n],
      warehouses: [],
      stockKeepingUnits: [],
      overflowed: false,
      appliedPositions: { orders: null, warehouse: null, logistics: null },
    };
    expect(() => decodeProfile('m-1', encodeProfile(state))).toThrow('varint longer than 8 bytes');
  });
});
