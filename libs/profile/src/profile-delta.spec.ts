import { DeadLetterReason, ProfileInputEvent } from '@lendstream/contracts';
import { DayCounterName, dayCountersOf } from './day-counters';
import { dayIndexOf } from './event-time';
import { eventFingerprint, stockKeepingUnitKey, tieBreakerOf, warehouseKey } from './identity-hash';
import { PROFILE_AMOUNT_MINOR_MAX, profileDelta } from './profile-delta';
import {
  cancelled,
  delivered,
  dispatched,
  paid,
  profileEvent,
  refunded,
  returned,
  settled,
  snapshot,
  stockout,
  restocked,
} from './testing/profile-event-builders';

const T = '2026-11-11T10:00:00.000Z';
const PROMISE = '2026-11-12T10:00:00.000Z';

const deltaOf = (event: ProfileInputEvent) => {
  const result = profileDelta(event);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('profileDelta: what each event counts', () => {
  it.each<[string, ProfileInputEvent, Partial<Record<DayCounterName, bigint>>, string | null]>([
    [
      'order.placed: activity only',
      profileEvent('order.placed', T, { orderId: 'o', amountMinor: 900n, currency: 'CNY' }),
      {},
      'CNY',
    ],
    [
      'order.paid: GMV and one paid order',
      paid(T, 1_250n),
      { paidAmountMinor: 1_250n, paidOrders: 1n },
      'CNY',
    ],
    [
      'order.refunded: amount and count',
      refunded(T, 300n, { currency: 'USD' }),
      { refundedAmountMinor: 300n, refunds: 1n },
      'USD',
    ],
    ['order.settled: settled amount', settled(T, 1_000n), { settledAmountMinor: 1_000n }, 'CNY'],
    ['order.cancelled', cancelled(T), { cancellations: 1n }, null],
    ['inventory.snapshot: activity only, sets stock', snapshot(T, 'wh-1', 10, 5_000n), {}, 'CNY'],
    ['inventory.stockout', stockout(T, 'wh-1', 'sku-1'), { stockouts: 1n }, null],
    ['inventory.restocked: activity only', restocked(T, 'wh-1', 'sku-1'), {}, null],
    ['shipment.dispatched', dispatched(T, PROMISE), { shipmentsDispatched: 1n }, null],
    [
      'shipment.delivered before the promise: on time',
      delivered(T, PROMISE),
      { shipmentsDelivered: 1n },
      null,
    ],
    [
      'shipment.delivered exactly at the promise: on time',
      delivered(PROMISE, PROMISE),
      { shipmentsDelivered: 1n },
      null,
    ],
    [
      'shipment.delivered 1 ms after the promise: late',
      delivered('2026-11-12T10:00:00.001Z', PROMISE),
      { shipmentsDelivered: 1n, shipmentsDeliveredLate: 1n },
      null,
    ],
    [
      'on time compares instants across offsets (18:00+08:00 is 10:00Z)',
      delivered(T, PROMISE, { deliveredAt: '2026-11-12T18:00:00+08:00' }),
      { shipmentsDelivered: 1n },
      null,
    ],
    [
      'late across offsets (10:00-01:00 is 11:00Z)',
      delivered(T, PROMISE, { deliveredAt: '2026-11-12T10:00:00-01:00' }),
      { shipmentsDelivered: 1n, shipmentsDeliveredLate: 1n },
      null,
    ],
    ['shipment.returned', returned(T), { shipmentsReturned: 1n }, null],
  ])('%s', (_, event, counters, currency) => {
    const delta = deltaOf(event);
    expect(delta.counters).toEqual(dayCountersOf(counters));
    expect(delta.currency).toBe(currency);
    expect(delta.merchantId).toBe(event.data.merchantId);
  });

  it.each([
    ['2026-11-11T00:00:00.000Z', '2026-11-11'],
    ['2026-11-11T23:59:59.999Z', '2026-11-11'],
    ['2026-11-12T00:00:00.000Z', '2026-11-12'],
    // 07:59 in Shanghai on the 12th is still the 11th in UTC: buckets are UTC days.
    ['2026-11-12T07:59:59.999+08:00', '2026-11-11'],
    ['2026-11-12T08:00:00.000+08:00', '2026-11-12'],
  ])('buckets %s on the UTC day %s', (time, day) => {
    expect(deltaOf(paid(time, 1n)).day).toBe(dayIndexOf(Date.parse(`${day}T00:00:00Z`)));
  });

  it('sets latest-wins stock changes keyed by hashed warehouse and SKU', () => {
    expect(deltaOf(snapshot(T, 'wh-1', 7, 700n)).stock).toEqual({
      kind: 'SNAPSHOT',
      warehouseKey: warehouseKey('wh-1'),
      onHandUnits: 7n,
      inventoryValueMinor: 700n,
    });
    expect(deltaOf(stockout(T, 'wh-1', 'sku-9')).stock).toEqual({
      kind: 'STOCKOUT',
      stockKeepingUnitKey: stockKeepingUnitKey('wh-1', 'sku-9'),
    });
    expect(deltaOf(restocked(T, 'wh-1', 'sku-9')).stock).toEqual({
      kind: 'RESTOCKED',
      stockKeepingUnitKey: stockKeepingUnitKey('wh-1', 'sku-9'),
    });
    expect(stockKeepingUnitKey('wh-1', 'sku-9')).not.toBe(stockKeepingUnitKey('wh-2', 'sku-9'));
    expect(deltaOf(paid(T, 1n)).stock).toBeNull();
  });

  it('fingerprints (source, id): stable, and different for a different source or id', () => {
    const delta = deltaOf(paid(T, 1n, { id: 'evt-1' }));
    expect(delta.fingerprint).toBe(eventFingerprint('/platform/orders', 'evt-1'));
    expect(delta.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(delta.tieBreaker).toBe(tieBreakerOf(delta.fingerprint));
    expect(eventFingerprint('/platform/orders', 'evt-2')).not.toBe(delta.fingerprint);
    expect(eventFingerprint('/platform/other', 'evt-1')).not.toBe(delta.fingerprint);
    // Length-prefixed: ("a", "b\nc") and ("a\nb", "c") stay apart.
    expect(eventFingerprint('a', 'b\nc')).not.toBe(eventFingerprint('a\nb', 'c'));
    expect(stockKeepingUnitKey('a', 'b\nc')).not.toBe(stockKeepingUnitKey('a\nb', 'c'));
  });

  it.each([
    ['order.paid', paid(T, PROFILE_AMOUNT_MINOR_MAX + 1n), 'data.amountMinor'],
    ['inventory.snapshot', snapshot(T, 'wh', 1, PROFILE_AMOUNT_MINOR_MAX + 1n), 'data.inventoryValueMinor'],
  ])('refuses a %s amount above 2^48 as INVALID_AMOUNT', (_, event, field) => {
    const result = profileDelta(event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ reason: DeadLetterReason.INVALID_AMOUNT, field });
  });

  it('accepts an amount of exactly 2^48', () => {
    expect(profileDelta(paid(T, PROFILE_AMOUNT_MINOR_MAX)).ok).toBe(true);
  });

  it.each(['1969-12-31T23:59:59.999Z', '2149-06-07T00:00:00.000Z'])(
    'refuses an event dated %s (not storable)',
    (time) => {
      const result = profileDelta(paid(time, 1n));
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.error).toMatchObject({ reason: DeadLetterReason.SCHEMA_VIOLATION, field: 'time' });
    },
  );
});
