import { ProfileInputEvent } from '@lendstream/contracts';
import { DAY_COUNTER_INDEX } from './day-counters';
import { HOUR_MS } from './event-time';
import { stockKeepingUnitKey, warehouseKey } from './identity-hash';
import { DEFAULT_PROFILE_RETENTION, ProfileRetention } from './profile-retention';
import { foldEvents } from './testing/profile-fold';
import { restocked, snapshot, stockout } from './testing/profile-event-builders';

const start = Date.parse('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(start + hours * HOUR_MS).toISOString();

const stockOf = (events: ProfileInputEvent[], retention: ProfileRetention = DEFAULT_PROFILE_RETENTION) => {
  const { state } = foldEvents(events, retention);
  return {
    outOfStock: state!.stockKeepingUnits
      .filter((unit) => unit.outOfStock)
      .map((unit) => unit.stockKeepingUnitKey)
      .sort(),
    remembered: state!.stockKeepingUnits.length,
    inventory: state!.warehouses.map((warehouse) => [
      warehouse.warehouseKey,
      warehouse.onHandUnits,
      warehouse.inventoryValueMinor,
    ]),
  };
};
const sku = (name: string) => stockKeepingUnitKey('wh', name);

describe('stock state: latest by event time', () => {
  it.each<[string, ProfileInputEvent[], string[]]>([
    ['a stock-out', [stockout(at(1), 'wh', 'a')], [sku('a')]],
    ['stock-out then restock', [stockout(at(1), 'wh', 'a'), restocked(at(2), 'wh', 'a')], []],
    [
      'restock arriving before an older stock-out still wins',
      [restocked(at(2), 'wh', 'a'), stockout(at(1), 'wh', 'a')],
      [],
    ],
    [
      'a newer stock-out after a restock',
      [restocked(at(2), 'wh', 'a'), stockout(at(3), 'wh', 'a')],
      [sku('a')],
    ],
    [
      'per SKU and warehouse',
      [stockout(at(1), 'wh', 'a'), stockout(at(1), 'wh', 'b'), restocked(at(2), 'wh', 'b')],
      [sku('a')],
    ],
  ])('%s', (_, events, expected) => {
    expect(stockOf(events).outOfStock).toEqual(expected);
  });

  it('keeps the latest snapshot per warehouse, whatever the arrival order', () => {
    const older = snapshot(at(1), 'wh-1', 10, 1_000n);
    const newer = snapshot(at(5), 'wh-1', 4, 400n);
    const other = snapshot(at(3), 'wh-2', 7, 700n);
    const expected = [
      [warehouseKey('wh-1'), 4n, 400n],
      [warehouseKey('wh-2'), 7n, 700n],
    ];
    expect(stockOf([older, newer, other]).inventory).toEqual(expected);
    expect(stockOf([newer, other, older]).inventory).toEqual(expected);
  });

  it('forgets a restock after the late-event bound; a stock-out older than the bound no longer changes the state', () => {
    const events = [restocked(at(0), 'wh', 'a'), snapshot(at(49), 'wh', 1, 1n)];
    expect(stockOf(events).remembered).toBe(0);
    // 49 h behind the newest stock event: past the 48 h bound, so ignored (it could contradict a forgotten restock).
    expect(stockOf([...events, stockout(at(0), 'wh', 'b')]).outOfStock).toEqual([]);
    expect(stockOf([...events, stockout(at(1), 'wh', 'b')]).outOfStock).toEqual([sku('b')]);
  });

  it('drops an open stock-out and a snapshot once they are older than the stock state horizon (90 days)', () => {
    const events = [stockout(at(0), 'wh', 'a'), snapshot(at(0), 'wh-old', 1, 1n)];
    expect(stockOf([...events, snapshot(at(90 * 24), 'wh', 1, 1n)]).outOfStock).toEqual([sku('a')]);
    const later = stockOf([...events, snapshot(at(90 * 24 + 1), 'wh', 1, 1n)]);
    expect(later.outOfStock).toEqual([]);
    expect(later.inventory).toEqual([[warehouseKey('wh'), 1n, 1n]]);
  });

  it('caps tracked SKUs, keeping the newest whatever the arrival order', () => {
    const retention = { ...DEFAULT_PROFILE_RETENTION, stockEntriesMax: 2 };
    const events = [stockout(at(3), 'wh', 'c'), stockout(at(1), 'wh', 'a'), stockout(at(2), 'wh', 'b')];
    expect(stockOf(events, retention).outOfStock).toEqual([sku('b'), sku('c')].sort());
    expect(stockOf([...events].reverse(), retention).outOfStock).toEqual([sku('b'), sku('c')].sort());
  });

  it('caps tracked warehouses the same way', () => {
    const retention = { ...DEFAULT_PROFILE_RETENTION, warehousesMax: 1 };
    const events = [snapshot(at(2), 'wh-new', 1, 1n), snapshot(at(1), 'wh-old', 2, 2n)];
    expect(stockOf(events, retention).inventory).toEqual([[warehouseKey('wh-new'), 1n, 1n]]);
  });

  it('counts every stock-out on its day as well, even of a SKU already out of stock', () => {
    const { state } = foldEvents([stockout(at(1), 'wh', 'a'), stockout(at(2), 'wh', 'a')]);
    expect(state!.days[0]!.counters[DAY_COUNTER_INDEX.stockouts]).toBe(2n);
    expect(state!.newestStockEventMs).toBe(start + 2 * HOUR_MS);
  });
});
