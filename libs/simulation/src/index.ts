/**
 * The seeded marketplace: a pure, deterministic generator of the platform's order,
 * warehouse and logistics events, for the demo, the tests and the benchmarks.
 */
export * from './random/seeded-random';
export * from './money';
export * from './archetypes/archetype';
export * from './archetypes/daily-behaviour';
export * from './archetypes/archetype-parameters';
export type { MarketConfig, ResolvedMarketConfig } from './market/market-config';
export { MARKET_LIMITS, DEFAULT_CURRENCY, resolveMarketConfig } from './market/market-config';
export type { SimulatedMerchant, ListedSku } from './market/roster';
export { PLATFORM_WAREHOUSES, merchantRoster, allocateArchetypes, formatMerchantId } from './market/roster';
export type { SimulatedEvent } from './market/simulated-event';
export { Sources } from './market/ids';
export { SETTLEMENT_CYCLE_DAYS } from './market/order-plan';
export { simulateMarket, LATE_DELIVERY_DELAY_MS } from './market/simulate-market';
export type { MerchantTally } from './market/market-tally';
export { MarketTally } from './market/market-tally';
export * from './treasury';
