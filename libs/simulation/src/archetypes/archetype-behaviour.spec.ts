import { MarketTally, MerchantTally } from '../market/market-tally';
import { merchantRoster } from '../market/roster';
import { simulateMarket } from '../market/simulate-market';
import { Archetype, ARCHETYPES } from './archetype';
import { ARCHETYPE_PARAMETERS, STOCKOUT_LATE_PHASE_START } from './archetype-parameters';

/**
 * The archetypes must behave as their documentation says, or the demo shows nothing: run
 * four merchants of each kind for 60 days and compare them with steady merchants.
 */
const DAYS = 60;
const config = {
  seed: 'archetype-behaviour',
  merchants: 4 * ARCHETYPES.length,
  days: DAYS,
  start: '2026-08-01',
  archetypeMix: Object.fromEntries(ARCHETYPES.map((archetype) => [archetype, 1])),
};
const roster = merchantRoster(config);
const tally = new MarketTally(config.start, DAYS);
const stockoutDays = new Map<string, number[]>();
const snapshotsLastDay = new Map<string, bigint>();
for (const { event } of simulateMarket(config)) {
  tally.add(event);
  const day = Math.floor((Date.parse(event.time) - Date.parse(config.start)) / 86_400_000);
  if (event.type === 'inventory.stockout') {
    stockoutDays.set(event.subject, [...(stockoutDays.get(event.subject) ?? []), day]);
  }
  if (event.type === 'inventory.snapshot' && day === DAYS - 1) {
    snapshotsLastDay.set(
      event.subject,
      (snapshotsLastDay.get(event.subject) ?? 0n) + event.data.inventoryValueMinor,
    );
  }
}

const merchantsOf = (archetype: Archetype) => roster.filter((merchant) => merchant.archetype === archetype);
const talliesOf = (archetype: Archetype) =>
  merchantsOf(archetype).map((merchant) => tally.of(merchant.merchantId));
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const sumMinor = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);

const refundRate = (tallies: MerchantTally[]) =>
  sum(tallies.map((t) => t.refunds)) / sum(tallies.map((t) => t.ordersPaid));
const stockouts = (tallies: MerchantTally[]) => sum(tallies.map((t) => t.stockouts));
const onTimeRate = (tallies: MerchantTally[]) =>
  sum(tallies.map((t) => t.onTimeDeliveries)) / sum(tallies.map((t) => t.deliveries));
const gmv = (t: MerchantTally, fromDay: number, toDay: number) =>
  sumMinor(t.paidMinorByDay.slice(fromDay, toDay));

describe('archetypes over 60 days', () => {
  it('puts four merchants of each archetype on the roster', () => {
    for (const archetype of ARCHETYPES) expect(merchantsOf(archetype)).toHaveLength(4);
  });

  it.each<[string, number, number, number]>([
    [
      'refund-heavy refund rate vs steady',
      refundRate(talliesOf('refund-heavy')),
      refundRate(talliesOf('steady')),
      4,
    ],
    [
      'stockout-prone stock-outs vs steady',
      stockouts(talliesOf('stockout-prone')),
      stockouts(talliesOf('steady')) + 1,
      8,
    ],
    [
      'steady on-time rate vs late-shipper',
      onTimeRate(talliesOf('steady')),
      onTimeRate(talliesOf('late-shipper')),
      1.4,
    ],
  ])('%s: well above (%p vs %p, at least ×%p)', (_case, risky, reference, factor) => {
    expect(risky).toBeGreaterThan(reference * factor);
  });

  it.each<[Archetype, 'rise' | 'fall']>([
    ['growing', 'rise'],
    ['declining', 'fall'],
  ])('every %s merchant sees its GMV %s from the first 30 days to the last 30', (archetype, direction) => {
    for (const t of talliesOf(archetype)) {
      const [first, last] = [gmv(t, 0, 30), gmv(t, 30, 60)];
      if (direction === 'rise') expect(last).toBeGreaterThan(first);
      else expect(last).toBeLessThan(first);
    }
  });

  it('a stock-out-prone merchant runs out far more often in its late phase', () => {
    const lateFrom = Math.ceil(STOCKOUT_LATE_PHASE_START * DAYS);
    const days = merchantsOf('stockout-prone').flatMap(
      (merchant) => stockoutDays.get(merchant.merchantId) ?? [],
    );
    const earlyPerDay = days.filter((day) => day < lateFrom).length / lateFrom;
    const latePerDay = days.filter((day) => day >= lateFrom).length / (DAYS - lateFrom);
    expect(latePerDay).toBeGreaterThan(2 * earlyPerDay);
  });

  it('a seasonal merchant swings more from day to day than a steady one', () => {
    const swing = (t: MerchantTally) => {
      const daily = t.paidMinorByDay.map(Number);
      const mean = sum(daily) / daily.length;
      return Math.sqrt(sum(daily.map((value) => (value - mean) ** 2)) / daily.length) / mean;
    };
    const average = (archetype: Archetype) => sum(talliesOf(archetype).map(swing)) / 4;
    expect(average('seasonal')).toBeGreaterThan(average('steady') * 1.3);
  });

  it('a bust-out spikes (GMV at least 3× its ramp), then refunds en masse or goes silent', () => {
    for (const merchant of merchantsOf('bust-out')) {
      const t = tally.of(merchant.merchantId);
      const rampDaily = Number(gmv(t, 0, 30)) / 30;
      const spikeDaily = Number(gmv(t, 34, 41)) / 7;
      expect(spikeDaily).toBeGreaterThan(3 * rampDaily);
      const afterSpike = gmv(t, 43, 60);
      if (merchant.traits.bustOutEnding === 'silence') {
        expect(afterSpike).toBe(0n);
        expect(snapshotsLastDay.get(merchant.merchantId)).toBe(0n); // goods withdrawn
      } else {
        expect(t.refunds / t.ordersPaid).toBeGreaterThan(3 * refundRate(talliesOf('steady')));
      }
    }
  });

  it('documents every archetype with an intent and restocks no sooner than the next day', () => {
    for (const archetype of ARCHETYPES) {
      const parameters = ARCHETYPE_PARAMETERS[archetype];
      expect(parameters.intent.length).toBeGreaterThan(20);
      expect(parameters.behaviour.restockDays?.min ?? 1).toBeGreaterThanOrEqual(1);
    }
  });
});
