import fc from 'fast-check';
import { hashString128, SeededRandom, seedTag } from './seeded-random';

const SAMPLES = 20_000;

const sample = (count: number, draw: () => number): number[] => Array.from({ length: count }, draw);
const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw100 = (seed: string) => {
      const random = new SeededRandom(seed);
      return sample(100, () => random.uint32());
    };
    expect(draw100('lendstream')).toEqual(draw100('lendstream'));
    expect(draw100('lendstream')).not.toEqual(draw100('lendstream!'));
    expect(new Set(draw100('lendstream')).size).toBe(100);
  });

  it('forks independent, reproducible streams by name', () => {
    const root = new SeededRandom('seed');
    const firstDraws = sample(50, () => root.fork('merchant/1').uint32());
    expect(new Set(firstDraws).size).toBe(1); // forking does not consume the parent stream
    const one = root.fork('merchant/1');
    const two = root.fork('merchant/2');
    expect(sample(20, () => one.uint32())).not.toEqual(sample(20, () => two.uint32()));
  });

  it('hashes strings to four 32-bit words and tags seeds with eight hex digits', () => {
    const words = hashString128('lendstream');
    expect(words).toHaveLength(4);
    for (const word of words) expect(Number.isInteger(word) && word >= 0 && word < 2 ** 32).toBe(true);
    expect(seedTag('lendstream')).toMatch(/^[0-9a-f]{8}$/);
    expect(seedTag('lendstream')).toBe(seedTag('lendstream'));
    expect(seedTag('lendstream')).not.toBe(seedTag('lendstreaM'));
  });

  it('draws floats in [0, 1) with a uniform mean', () => {
    const random = new SeededRandom('uniform');
    const values = sample(SAMPLES, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 1);
  });

  it.each([
    [0, 0],
    [1, 6],
    [-5, 5],
    [0, 1],
    [1_000_000, 1_000_003],
  ])('int(%p, %p) stays in bounds and reaches both ends', (min, max) => {
    const random = new SeededRandom(`int/${min}/${max}`);
    const values = sample(2_000, () => random.int(min, max));
    expect(Math.min(...values)).toBe(min);
    expect(Math.max(...values)).toBe(max);
    expect(values.every(Number.isInteger)).toBe(true);
  });

  it.each([
    [1.5, 2],
    [3, 1],
    [0, Number.NaN],
  ])('int(%p, %p) refuses bad bounds', (min, max) => {
    expect(() => new SeededRandom('x').int(min, max)).toThrow(RangeError);
  });

  it('int stays in bounds for any seed and range (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1e9, max: 1e9 }), fc.nat(1e6), (seed, min, span) => {
        const value = new SeededRandom(seed).int(min, min + span);
        return Number.isInteger(value) && value >= min && value <= min + span;
      }),
    );
  });

  it.each([
    [0, 0],
    [0.05, 0.05],
    [0.5, 0.5],
    [1, 1],
  ])('chance(%p) comes true about %p of the time', (probability, expected) => {
    const random = new SeededRandom(`chance/${probability}`);
    const share = sample(SAMPLES, () => (random.chance(probability) ? 1 : 0));
    expect(Math.abs(mean(share) - expected)).toBeLessThan(0.015);
  });

  it.each([
    [0, 0],
    [-3, 0],
    [0.3, 0.3],
    [4, 4],
    [29, 29],
    [250, 250],
  ])('poisson(%p) has mean about %p and never goes negative', (requested, expected) => {
    const random = new SeededRandom(`poisson/${requested}`);
    const values = sample(SAMPLES, () => random.poisson(requested));
    expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
    expect(Math.abs(mean(values) - expected)).toBeLessThan(0.05 * Math.max(1, expected));
  });

  it.each([
    [10_000n, 0.5],
    [1n, 0.8],
    [123_456_789n, 0.2],
  ])('logNormalMinor(%p, %p) gives positive bigint amounts with about that median', (median, sigma) => {
    const random = new SeededRandom(`lognormal/${median}`);
    const values = Array.from({ length: 5_001 }, () => random.logNormalMinor(median, sigma));
    expect(values.every((value) => typeof value === 'bigint' && value >= 1n)).toBe(true);
    expect(values.every((value) => value <= median * 20n)).toBe(true);
    const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const middle = Number(sorted[2_500]);
    expect(Math.abs(middle - Number(median)) / Number(median)).toBeLessThan(median === 1n ? 1.01 : 0.05);
  });

  it('weightedChoice follows the weights and never picks a zero weight', () => {
    const random = new SeededRandom('weighted');
    const entries = [
      ['a', 1],
      ['never', 0],
      ['b', 3],
    ] as const;
    const picks = sample(SAMPLES, () => (random.weightedChoice(entries) === 'b' ? 1 : 0));
    expect(Math.abs(mean(picks) - 0.75)).toBeLessThan(0.015);
    const all = new Set(Array.from({ length: 2_000 }, () => random.weightedChoice(entries)));
    expect(all).toEqual(new Set(['a', 'b']));
  });

  it.each([
    ['no entries', []],
    ['only zero weights', [['a', 0]]],
    [
      'a negative weight',
      [
        ['a', 1],
        ['b', -1],
      ],
    ],
    ['a NaN weight', [['a', Number.NaN]]],
  ] as const)('weightedChoice refuses %s', (_case, entries) => {
    expect(() => new SeededRandom('x').weightedChoice(entries)).toThrow(RangeError);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const shuffled = new SeededRandom('shuffle').shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });
});
