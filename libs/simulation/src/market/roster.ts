import { Archetype, ARCHETYPES, MerchantTraits } from '../archetypes/archetype';
import { ARCHETYPE_PARAMETERS } from '../archetypes/archetype-parameters';
import { scaleByBasisPoints } from '../money';
import { SeededRandom } from '../random/seeded-random';
import { MarketConfig, ResolvedMarketConfig, resolveMarketConfigOrThrow } from './market-config';

/** One SKU the merchant lists, and the platform warehouse that holds it. */
export interface ListedSku {
  readonly sku: string;
  readonly warehouseId: string;
}

/** A simulated merchant: who it is and the parameters its days are drawn from. */
export interface SimulatedMerchant {
  /** `m-000042`: six digits, so ids sort in creation order. */
  readonly merchantId: string;
  /** 1-based position in the roster (42 for `m-000042`). */
  readonly merchantNumber: number;
  readonly archetype: Archetype;
  /** ISO 4217; one merchant, one currency (CONTRACT.md). */
  readonly currency: string;
  /** Base daily order rate, before `ordersPerDayScale` and the archetype's daily shape. */
  readonly ordersPerDay: number;
  readonly orderValueMedianMinor: bigint;
  /** Cost of one unit of stock; an order takes one to three units. */
  readonly unitCostMinor: bigint;
  readonly warehouseIds: readonly string[];
  readonly skus: readonly ListedSku[];
  /** Days of sales the merchant normally holds in stock. */
  readonly stockCoverDays: number;
  readonly traits: MerchantTraits;
}

/** The platform's fulfilment centres; merchants store goods in one to three of them. */
export const PLATFORM_WAREHOUSES = [
  'wh-shanghai-01',
  'wh-guangzhou-01',
  'wh-beijing-01',
  'wh-chengdu-01',
  'wh-wuhan-01',
  'wh-hangzhou-01',
  'wh-shenzhen-01',
  'wh-tianjin-01',
] as const;

/** An order takes one to three units, two on average: the unit cost is half a typical order's cost. */
export const UNITS_PER_ORDER = { min: 1, max: 3, mean: 2 } as const;
/** Goods cost the merchant 55-70 % of their selling price (basis points). */
const COST_RATIO_BASIS_POINTS = { min: 5_500, max: 7_000 } as const;

export const formatMerchantId = (merchantNumber: number): string =>
  `m-${String(merchantNumber).padStart(6, '0')}`;

/**
 * How many merchants of each archetype: shares of `merchants` in proportion to the weights,
 * by largest remainder (ties go to the archetype listed first), so the counts add up exactly
 * and a small run still holds every archetype its mix can afford.
 */
export function allocateArchetypes(merchants: number, mix: Readonly<Record<Archetype, number>>): Archetype[] {
  const totalWeight = ARCHETYPES.reduce((sum, archetype) => sum + mix[archetype], 0);
  const quotas = ARCHETYPES.map((archetype, order) => {
    const exact = (merchants * mix[archetype]) / totalWeight;
    return { archetype, order, count: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let unallocated = merchants - quotas.reduce((sum, quota) => sum + quota.count, 0);
  const byRemainder = [...quotas].sort((a, b) => b.remainder - a.remainder || a.order - b.order);
  for (const quota of byRemainder) {
    if (unallocated === 0) break;
    if (mix[quota.archetype] > 0) {
      quota.count += 1;
      unallocated -= 1;
    }
  }
  return quotas.flatMap((quota) => Array<Archetype>(quota.count).fill(quota.archetype));
}

const drawMedianValue = (random: SeededRandom, range: { min: bigint; max: bigint }): bigint =>
  range.min + BigInt(random.int(0, Number(range.max - range.min)));

function drawMerchant(
  merchantNumber: number,
  archetype: Archetype,
  random: SeededRandom,
  currencyMix: ResolvedMarketConfig['currencyMix'],
): SimulatedMerchant {
  const parameters = ARCHETYPE_PARAMETERS[archetype];
  const merchantId = formatMerchantId(merchantNumber);
  const currency = random.weightedChoice(currencyMix);
  const ordersPerDay = random.between(parameters.ordersPerDay.min, parameters.ordersPerDay.max);
  const orderValueMedianMinor = drawMedianValue(random, parameters.orderValueMedianMinor);
  const costOfTypicalOrder = scaleByBasisPoints(
    orderValueMedianMinor,
    random.int(COST_RATIO_BASIS_POINTS.min, COST_RATIO_BASIS_POINTS.max),
  );
  const unitCostMinor = costOfTypicalOrder / BigInt(UNITS_PER_ORDER.mean);
  const warehouseCount = random.int(parameters.warehouses.min, parameters.warehouses.max);
  const warehouseIds = random.shuffle([...PLATFORM_WAREHOUSES]).slice(0, warehouseCount);
  const skuCount = random.int(parameters.skus.min, parameters.skus.max);
  const skus = Array.from({ length: skuCount }, (_, index) => ({
    sku: `sku-${String(merchantNumber).padStart(6, '0')}-${String(index + 1).padStart(3, '0')}`,
    warehouseId: warehouseIds[index % warehouseIds.length],
  }));
  return {
    merchantId,
    merchantNumber,
    archetype,
    currency,
    ordersPerDay,
    orderValueMedianMinor,
    unitCostMinor: unitCostMinor > 0n ? unitCostMinor : 1n,
    warehouseIds,
    skus,
    stockCoverDays: random.int(parameters.stockCoverDays.min, parameters.stockCoverDays.max),
    traits: {
      growthPerDay: random.between(0.01, 0.02),
      seasonOffsetDays: random.int(0, 27),
      bustOutEnding: random.chance(0.5) ? 'mass-refunds' : 'silence',
    },
  };
}

/** The roster of a resolved config (what `simulateMarket` trades with). */
export function rosterOf(config: ResolvedMarketConfig): SimulatedMerchant[] {
  const root = new SeededRandom(config.seed);
  // Archetypes are dealt out in shuffled order so that m-000001 is not always the same kind.
  const archetypes = root
    .fork('archetypes')
    .shuffle(allocateArchetypes(config.merchants, config.archetypeMix));
  return archetypes.map((archetype, index) =>
    drawMerchant(index + 1, archetype, root.fork(`roster/${index + 1}`), config.currencyMix),
  );
}

/**
 * Every merchant of the market `config` describes, with its archetype, currency and
 * parameters: for summaries by archetype and for checking the pipeline's decisions. It
 * depends only on the seed, the merchant count and the mixes, not on days or scale.
 */
export function merchantRoster(config: MarketConfig): SimulatedMerchant[] {
  return rosterOf(resolveMarketConfigOrThrow(config));
}
