/**
 * A small, fast, seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small Fast
 * Chaotic generator, 128 bits of state) seeded from a string by the cyrb128 hash.
 *
 * The simulator must give exactly the same events for the same seed on every machine and
 * every run, so `Math.random` is never used. sfc32 passes PractRand to many terabytes and
 * costs a handful of 32-bit operations per draw, which keeps generation far faster than
 * encoding the events it decides.
 *
 * Distributions here are about counts, times and probabilities. Money comes out as integer
 * minor units (`bigint`): a float only ever scales a multiplier that is rounded to an
 * integer before it touches an amount.
 */

/** Poisson draws above this mean use a normal approximation (Knuth's loop would be slow). */
const POISSON_EXACT_MEAN_MAX = 30;
/** Bounds Knuth's loop: far beyond any count a mean of 30 can produce (p < 1e-30). */
const POISSON_EXACT_DRAWS_MAX = 200;
/** A log-normal multiplier is rounded to millionths before it scales an amount. */
const MULTIPLIER_SCALE = 1_000_000;
/** Sfc32 is warmed up so that similar seeds do not start with correlated outputs. */
const WARM_UP_DRAWS = 15;

/** cyrb128: four 32-bit words from a string, well mixed; a seed hash, not a cryptographic one. */
export function hashString128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Eight hex digits identifying a seed, used to tag the ids of one simulated run. */
export const seedTag = (seed: string): string => hashString128(seed)[0].toString(16).padStart(8, '0');

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    [this.a, this.b, this.c, this.d] = hashString128(seed);
    for (let draw = 0; draw < WARM_UP_DRAWS; draw += 1) this.uint32();
  }

  /**
   * An independent stream for a named part of the simulation (a merchant, the delivery
   * delays). Forking by name rather than by position means adding a merchant or a feature
   * never shifts the draws of another one.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.seed}/${label}`);
  }

  /** A uniform 32-bit unsigned integer (one sfc32 step). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): bounds must be safe integers with min <= max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability (clamped to [0, 1]). */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** A standard normal draw (Box-Muller; the sine half is dropped to keep the stream simple). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) would be -Infinity
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * A Poisson-distributed count with the given mean: exact (Knuth) for small means, a
   * rounded normal approximation above POISSON_EXACT_MEAN_MAX, where the two agree closely.
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean > POISSON_EXACT_MEAN_MAX) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    }
    const limit = Math.exp(-mean);
    let product = this.next();
    let count = 0;
    while (product > limit && count < POISSON_EXACT_DRAWS_MAX) {
      product *= this.next();
      count += 1;
    }
    return count;
  }

  /**
   * A log-normal amount around `medianMinor` in integer minor units: the median times
   * e^(sigma·N(0,1)). The multiplier is rounded to millionths and capped at `capFactor`,
   * then applied with integer arithmetic, rounding down; the result is at least 1.
   */
  logNormalMinor(medianMinor: bigint, sigma: number, capFactor = 20): bigint {
    const multiplier = Math.min(Math.exp(sigma * this.normal()), capFactor);
    const multiplierMillionths = BigInt(Math.round(multiplier * MULTIPLIER_SCALE));
    const amount = (medianMinor * multiplierMillionths) / BigInt(MULTIPLIER_SCALE);
    return amount > 0n ? amount : 1n;
  }

  /** One of the entries, with probability proportional to its weight (weights >= 0, sum > 0). */
  weightedChoice<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    let lastWeightedIndex = -1;
    entries.forEach(([, weight], index) => {
      if (!(weight >= 0)) throw new RangeError(`weightedChoice: weight ${weight} is not >= 0`);
      total += weight;
      if (weight > 0) lastWeightedIndex = index;
    });
    if (!(total > 0)) throw new RangeError('weightedChoice: the weights must sum to more than 0');
    let remaining = this.next() * total;
    for (const [value, weight] of entries) {
      remaining -= weight;
      if (remaining < 0) return value;
    }
    // Float rounding can leave a sliver at the end: it belongs to the last entry with weight.
    return entries[lastWeightedIndex][0];
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index -= 1) {
      const other = this.int(0, index);
      [items[index], items[other]] = [items[other], items[index]];
    }
    return items;
  }
}
