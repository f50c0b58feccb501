import { Archetype, ARCHETYPES, DEFAULT_ARCHETYPE_MIX } from '../archetypes/archetype';
import { allocateArchetypes, merchantRoster, PLATFORM_WAREHOUSES } from './roster';

const countBy = (archetypes: readonly Archetype[]) =>
  Object.fromEntries(
    ARCHETYPES.map((archetype) => [archetype, archetypes.filter((a) => a === archetype).length]),
  );

const mixOf = (weights: Partial<Record<Archetype, number>>): Record<Archetype, number> =>
  Object.fromEntries(ARCHETYPES.map((archetype) => [archetype, weights[archetype] ?? 0])) as Record<
    Archetype,
    number
  >;

describe('allocateArchetypes', () => {
  it.each<[number, Partial<Record<Archetype, number>>, Partial<Record<Archetype, number>>]>([
    [1, { steady: 1 }, { steady: 1 }],
    [3, { steady: 1, growing: 1 }, { steady: 2, growing: 1 }], // the tie goes to the first listed
    [10, { steady: 1, 'bust-out': 1 }, { steady: 5, 'bust-out': 5 }],
    [7, { steady: 0, growing: 2, declining: 1 }, { growing: 5, declining: 2 }],
    [
      8,
      DEFAULT_ARCHETYPE_MIX,
      {
        steady: 2,
        growing: 1,
        seasonal: 1,
        declining: 1,
        'stockout-prone': 1,
        'refund-heavy': 1,
        'late-shipper': 1,
      },
    ],
    [
      10,
      DEFAULT_ARCHETYPE_MIX,
      {
        steady: 3,
        growing: 1,
        seasonal: 1,
        declining: 1,
        'stockout-prone': 1,
        'refund-heavy': 1,
        'late-shipper': 1,
        'bust-out': 1,
      },
    ],
  ])('deals %p merchants over %p as %p', (merchants, weights, expected) => {
    const allocated = allocateArchetypes(merchants, mixOf(weights));
    expect(allocated).toHaveLength(merchants);
    expect(countBy(allocated)).toEqual({ ...countBy([]), ...expected });
  });

  it('always adds up and never deals a zero-weight archetype (property)', () => {
    for (let merchants = 1; merchants <= 200; merchants += 7) {
      const allocated = allocateArchetypes(merchants, mixOf({ steady: 3, 'bust-out': 0.5, growing: 1.25 }));
      expect(allocated).toHaveLength(merchants);
      expect(allocated).not.toContain('seasonal');
    }
  });
});

describe('merchantRoster', () => {
  const config = { seed: 'roster', merchants: 40, days: 30, start: '2026-08-01' };

  it('is deterministic and independent of days, start and scale', () => {
    const roster = merchantRoster(config);
    expect(merchantRoster(config)).toEqual(roster);
    expect(merchantRoster({ ...config, days: 90, start: '2027-01-01', ordersPerDayScale: 3 })).toEqual(
      roster,
    );
    expect(merchantRoster({ ...config, seed: 'other' })).not.toEqual(roster);
  });

  it('numbers merchants m-000001 and up, each with one currency, warehouses and SKUs', () => {
    const roster = merchantRoster({ ...config, currencyMix: { CNY: 1, USD: 1 } });
    expect(roster.map((merchant) => merchant.merchantId)).toEqual(
      Array.from({ length: 40 }, (_, index) => `m-${String(index + 1).padStart(6, '0')}`),
    );
    expect(new Set(roster.map((merchant) => merchant.currency))).toEqual(new Set(['CNY', 'USD']));
    for (const merchant of roster) {
      expect(merchant.warehouseIds.length).toBeGreaterThanOrEqual(1);
      expect(new Set(merchant.warehouseIds).size).toBe(merchant.warehouseIds.length);
      expect(
        merchant.warehouseIds.every((id) => (PLATFORM_WAREHOUSES as readonly string[]).includes(id)),
      ).toBe(true);
      expect(merchant.skus.every((sku) => merchant.warehouseIds.includes(sku.warehouseId))).toBe(true);
      expect(merchant.orderValueMedianMinor).toBeGreaterThan(0n);
      expect(merchant.unitCostMinor).toBeGreaterThan(0n);
      expect(merchant.unitCostMinor).toBeLessThan(merchant.orderValueMedianMinor);
    }
  });

  it('follows the mix exactly', () => {
    const roster = merchantRoster({ ...config, archetypeMix: { 'bust-out': 1, steady: 3 } });
    expect(roster.filter((merchant) => merchant.archetype === 'bust-out')).toHaveLength(10);
    expect(roster.filter((merchant) => merchant.archetype === 'steady')).toHaveLength(30);
  });
});
