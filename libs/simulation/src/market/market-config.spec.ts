import { MarketConfig, resolveMarketConfig } from './market-config';

const valid: MarketConfig = { seed: 'x', merchants: 10, days: 30, start: '2026-08-01' };

describe('resolveMarketConfig', () => {
  it('fills in the defaults', () => {
    const resolved = resolveMarketConfig(valid);
    expect(resolved).toMatchObject({
      ok: true,
      value: {
        seed: 'x',
        startMs: Date.UTC(2026, 7, 1),
        ordersPerDayScale: 1,
        lateEventShare: 0,
        currencyMix: [['CNY', 1]],
      },
    });
  });

  it('accepts a numeric seed, a Date start and explicit mixes', () => {
    const resolved = resolveMarketConfig({
      ...valid,
      seed: 42,
      start: new Date(Date.UTC(2026, 10, 11)),
      archetypeMix: { 'bust-out': 1 },
      currencyMix: { USD: 1, CNY: 3 },
    });
    expect(resolved.ok).toBe(true);
    if (resolved.ok) {
      expect(resolved.value.seed).toBe('42');
      expect(resolved.value.archetypeMix).toMatchObject({ 'bust-out': 1, steady: 0 });
      expect(resolved.value.currencyMix).toEqual([
        ['CNY', 3],
        ['USD', 1],
      ]);
    }
  });

  it.each<[string, Partial<Record<keyof MarketConfig, unknown>>, string]>([
    ['an empty seed', { seed: '' }, 'seed'],
    ['no merchants', { merchants: 0 }, 'merchants'],
    ['a fractional merchant count', { merchants: 2.5 }, 'merchants'],
    ['a million merchants', { merchants: 1_000_000 }, 'merchants'],
    ['zero days', { days: 0 }, 'days'],
    ['ten years and a day', { days: 3_651 }, 'days'],
    ['a start that is no date', { start: 'soon' }, 'start'],
    ['a start that is no calendar date', { start: '2026-02-30' }, 'start'],
    ['a start that is not midnight', { start: '2026-08-01T12:00:00Z' }, 'start'],
    ['a zero scale', { ordersPerDayScale: 0 }, 'ordersPerDayScale'],
    ['a NaN scale', { ordersPerDayScale: Number.NaN }, 'ordersPerDayScale'],
    ['a late share above half', { lateEventShare: 0.6 }, 'lateEventShare'],
    ['a negative late share', { lateEventShare: -0.1 }, 'lateEventShare'],
    ['an unknown archetype', { archetypeMix: { shady: 1 } }, 'archetypeMix'],
    ['an all-zero archetype mix', { archetypeMix: { steady: 0 } }, 'archetypeMix'],
    ['a negative archetype weight', { archetypeMix: { steady: 1, growing: -1 } }, 'archetypeMix'],
    ['a bad currency', { currencyMix: { yuan: 1 } }, 'currencyMix'],
    ['an all-zero currency mix', { currencyMix: { CNY: 0 } }, 'currencyMix'],
  ])('refuses %s, naming the field', (_case, change, field) => {
    const resolved = resolveMarketConfig({ ...valid, ...change } as MarketConfig);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok) expect(resolved.error.startsWith(`${field}:`)).toBe(true);
  });
});
