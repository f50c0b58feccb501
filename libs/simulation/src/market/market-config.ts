import { err, ok, Result } from '@lendstream/contracts';
import { Archetype, ARCHETYPES, DEFAULT_ARCHETYPE_MIX, isArchetype } from '../archetypes/archetype';

/** What to simulate. Only `seed`, `merchants`, `days` and `start` are required. */
export interface MarketConfig {
  /** The same seed always gives exactly the same events. */
  readonly seed: string | number;
  readonly merchants: number;
  readonly days: number;
  /** The first simulated day, a UTC date such as `2026-08-01` (or a Date at UTC midnight). */
  readonly start: string | Date;
  /** Relative weights per archetype; archetypes left out get none. Default `DEFAULT_ARCHETYPE_MIX`. */
  readonly archetypeMix?: Partial<Record<Archetype, number>>;
  /** Multiplies every merchant's daily order rate (volume knob for demos and benchmarks). Default 1. */
  readonly ordersPerDayScale?: number;
  /**
   * Share of events delivered late: emitted one to 48 hours of event time after their place in
   * the stream, with their own `time` unchanged, to exercise late-event handling. Default 0.
   */
  readonly lateEventShare?: number;
  /** Relative weights per ISO 4217 currency; each merchant trades in one. Default `{ CNY: 1 }`. */
  readonly currencyMix?: Readonly<Record<string, number>>;
}

/** A validated config with every default filled in. */
export interface ResolvedMarketConfig {
  readonly seed: string;
  readonly merchants: number;
  readonly days: number;
  /** Epoch milliseconds of the first day's UTC midnight. */
  readonly startMs: number;
  readonly archetypeMix: Readonly<Record<Archetype, number>>;
  readonly ordersPerDayScale: number;
  readonly lateEventShare: number;
  readonly currencyMix: readonly (readonly [string, number])[];
}

export const MARKET_LIMITS = {
  /** Merchant ids have six digits (`m-000042`). */
  merchantsMax: 999_999,
  daysMax: 3_650,
  ordersPerDayScaleMax: 100,
  lateEventShareMax: 0.5,
} as const;

export const DEFAULT_CURRENCY = 'CNY';
export const DAY_MS = 86_400_000;

const isPositiveWeight = (weight: number): boolean => Number.isFinite(weight) && weight > 0;

const isoDate = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

function resolveStart(start: string | Date): Result<number, string> {
  const startMs = typeof start === 'string' ? Date.parse(start) : start.getTime();
  // Date.parse rolls 2026-02-30 over to March 2nd; a calendar date must read back unchanged.
  const rolledOver =
    typeof start === 'string' && !Number.isNaN(startMs) && !start.startsWith(isoDate(startMs));
  if (Number.isNaN(startMs) || rolledOver)
    return err(`start: "${String(start)}" is not a date such as 2026-08-01`);
  if (startMs % DAY_MS !== 0) return err(`start: ${new Date(startMs).toISOString()} is not a UTC midnight`);
  return ok(startMs);
}

function resolveArchetypeMix(mix: MarketConfig['archetypeMix']): Result<Record<Archetype, number>, string> {
  if (mix === undefined) return ok({ ...DEFAULT_ARCHETYPE_MIX });
  const unknown = Object.keys(mix).filter((name) => !isArchetype(name));
  if (unknown.length > 0)
    return err(`archetypeMix: unknown archetype "${unknown[0]}" (known: ${ARCHETYPES.join(', ')})`);
  const resolved = Object.fromEntries(
    ARCHETYPES.map((archetype) => [archetype, mix[archetype] ?? 0]),
  ) as Record<Archetype, number>;
  const weights = Object.values(resolved);
  if (weights.some((weight) => !(Number.isFinite(weight) && weight >= 0))) {
    return err('archetypeMix: weights must be finite numbers >= 0');
  }
  if (!weights.some(isPositiveWeight)) return err('archetypeMix: at least one weight must be above 0');
  return ok(resolved);
}

function resolveCurrencyMix(mix: MarketConfig['currencyMix']): Result<[string, number][], string> {
  const entries = Object.entries(mix ?? { [DEFAULT_CURRENCY]: 1 }).sort(([a], [b]) => a.localeCompare(b));
  const badCode = entries.find(([code]) => !/^[A-Z]{3}$/.test(code));
  if (badCode) return err(`currencyMix: "${badCode[0]}" is not an ISO 4217 code such as CNY`);
  if (entries.some(([, weight]) => !(Number.isFinite(weight) && weight >= 0))) {
    return err('currencyMix: weights must be finite numbers >= 0');
  }
  if (!entries.some(([, weight]) => isPositiveWeight(weight))) {
    return err('currencyMix: at least one weight must be above 0');
  }
  return ok(entries);
}

const isWholeNumberIn = (value: number, min: number, max: number): boolean =>
  Number.isSafeInteger(value) && value >= min && value <= max;

/** Checks a config and fills in the defaults; the error names the offending field. */
export function resolveMarketConfig(config: MarketConfig): Result<ResolvedMarketConfig, string> {
  const seed = String(config.seed);
  if (seed.length === 0 || seed.length > 128) return err('seed: must be 1 to 128 characters');
  if (!isWholeNumberIn(config.merchants, 1, MARKET_LIMITS.merchantsMax)) {
    return err(`merchants: must be a whole number from 1 to ${MARKET_LIMITS.merchantsMax}`);
  }
  if (!isWholeNumberIn(config.days, 1, MARKET_LIMITS.daysMax)) {
    return err(`days: must be a whole number from 1 to ${MARKET_LIMITS.daysMax}`);
  }
  const ordersPerDayScale = config.ordersPerDayScale ?? 1;
  if (!(ordersPerDayScale > 0 && ordersPerDayScale <= MARKET_LIMITS.ordersPerDayScaleMax)) {
    return err(`ordersPerDayScale: must be above 0 and at most ${MARKET_LIMITS.ordersPerDayScaleMax}`);
  }
  const lateEventShare = config.lateEventShare ?? 0;
  if (!(lateEventShare >= 0 && lateEventShare <= MARKET_LIMITS.lateEventShareMax)) {
    return err(`lateEventShare: must be from 0 to ${MARKET_LIMITS.lateEventShareMax}`);
  }
  const startMs = resolveStart(config.start);
  if (!startMs.ok) return startMs;
  const archetypeMix = resolveArchetypeMix(config.archetypeMix);
  if (!archetypeMix.ok) return archetypeMix;
  const currencyMix = resolveCurrencyMix(config.currencyMix);
  if (!currencyMix.ok) return currencyMix;
  return ok({
    seed,
    merchants: config.merchants,
    days: config.days,
    startMs: startMs.value,
    archetypeMix: archetypeMix.value,
    ordersPerDayScale,
    lateEventShare,
    currencyMix: currencyMix.value,
  });
}

/** Like `resolveMarketConfig`, for callers that treat a bad config as a programming error. */
export function resolveMarketConfigOrThrow(config: MarketConfig): ResolvedMarketConfig {
  const resolved = resolveMarketConfig(config);
  if (!resolved.ok) throw new RangeError(`invalid market config: ${resolved.error}`);
  return resolved.value;
}
