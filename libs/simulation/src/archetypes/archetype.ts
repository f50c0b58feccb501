/**
 * The kinds of merchant the simulated marketplace holds. Each one exists to exercise a part
 * of the credit policy (DESIGN.md): healthy trading that earns a line, trends that move it,
 * and the red flags (stock-outs, refunds, late deliveries, a bust-out) that shrink or freeze it.
 */
export const ARCHETYPES = [
  'steady',
  'growing',
  'seasonal',
  'declining',
  'stockout-prone',
  'refund-heavy',
  'late-shipper',
  'bust-out',
] as const;

export type Archetype = (typeof ARCHETYPES)[number];

export const isArchetype = (value: string): value is Archetype =>
  (ARCHETYPES as readonly string[]).includes(value);

/**
 * The default share of each archetype (relative weights). Mostly healthy merchants, as on a
 * real marketplace, with every kind present from 10 merchants up (shares are allocated
 * by largest remainder, so small runs still see each kind; see `allocateArchetypes`).
 */
export const DEFAULT_ARCHETYPE_MIX: Readonly<Record<Archetype, number>> = {
  steady: 30,
  growing: 15,
  seasonal: 15,
  declining: 10,
  'stockout-prone': 8,
  'refund-heavy': 8,
  'late-shipper': 8,
  'bust-out': 6,
};

/** How a bust-out ends after its spike: buyers claw the money back, or the shop goes dark. */
export type BustOutEnding = 'mass-refunds' | 'silence';

/** Per-merchant draws that shape an archetype's curve, so two merchants of a kind differ. */
export interface MerchantTraits {
  /** Growing merchants: compound daily growth of the order rate (0.010 to 0.020). */
  readonly growthPerDay: number;
  /** Seasonal merchants: where in its 28-day cycle the merchant starts (0 to 27). */
  readonly seasonOffsetDays: number;
  readonly bustOutEnding: BustOutEnding;
}
