import { createHash } from 'node:crypto';
import { decodeEvent, encodeEvent, EVENT_CATALOG, ProfileInputEvent } from '@lendstream/contracts';
import { DAY_MS, MarketConfig } from './market-config';
import { merchantRoster } from './roster';
import { LATE_DELIVERY_DELAY_MS, simulateMarket } from './simulate-market';
import { SimulatedEvent } from './simulated-event';

const small: MarketConfig = { seed: 'spec', merchants: 12, days: 20, start: '2026-08-01' };
const START_MS = Date.UTC(2026, 7, 1);

const serialise = ({ topic, key, event }: SimulatedEvent): string =>
  `${topic}\u0000${key}\u0000${encodeEvent(event)}`;

function hashStream(config: MarketConfig): { hash: string; count: number } {
  const hash = createHash('sha256');
  let count = 0;
  for (const simulated of simulateMarket(config)) {
    hash.update(serialise(simulated)).update('\n');
    count += 1;
  }
  return { hash: hash.digest('hex'), count };
}

const run = (config: MarketConfig): SimulatedEvent[] => [...simulateMarket(config)];
const timeOf = (event: ProfileInputEvent): number => Date.parse(event.time);
const orderIdOf = (event: ProfileInputEvent): string | undefined =>
  'orderId' in event.data ? event.data.orderId : undefined;

describe('simulateMarket', () => {
  const events = run(small);

  it('produces a stream of every input event type', () => {
    expect(events.length).toBeGreaterThan(5_000);
    const types = new Set(events.map(({ event }) => event.type));
    expect(types).toEqual(
      new Set([
        'order.placed',
        'order.paid',
        'order.cancelled',
        'order.refunded',
        'order.settled',
        'inventory.snapshot',
        'inventory.stockout',
        'inventory.restocked',
        'shipment.dispatched',
        'shipment.delivered',
        'shipment.returned',
      ]),
    );
  });

  it('gives exactly the same events for the same seed, and others for another seed', () => {
    const first = hashStream(small);
    expect(hashStream(small)).toEqual(first);
    expect(hashStream({ ...small, seed: 'spec2' }).hash).not.toBe(first.hash);
  });

  it('emits only events that pass decodeEvent on their topic, keyed by their merchant', () => {
    const failures: string[] = [];
    for (const { topic, key, event } of events) {
      const value = encodeEvent(event);
      const decoded = decodeEvent({ topic, key, value });
      if (!decoded.ok) failures.push(`${decoded.error.message} in ${value}`);
      else if (topic !== EVENT_CATALOG[event.type].topic) failures.push(`${event.type} on ${topic}`);
    }
    expect(failures).toEqual([]);
    // The round trip loses nothing (checked on a sample: toEqual on every event is slow).
    for (const { topic, key, event } of events.filter((_, index) => index % 97 === 0)) {
      expect(decodeEvent({ topic, key, value: encodeEvent(event) })).toEqual({ ok: true, value: event });
    }
  });

  it('emits in event-time order, within the run, with millisecond ISO times', () => {
    const times = events.map(({ event }) => event.time);
    expect(times.filter((time) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time))).toEqual([]);
    const backwards = times.filter(
      (time, index) => index > 0 && Date.parse(time) < Date.parse(times[index - 1]),
    );
    expect(backwards).toEqual([]);
    expect(Date.parse(times[0])).toBeGreaterThanOrEqual(START_MS);
    expect(Date.parse(times[times.length - 1])).toBeLessThan(START_MS + small.days * DAY_MS);
  });

  it('keeps ids unique per source and settlement ids unique', () => {
    const ids = new Set(events.map(({ event }) => `${event.source} ${event.id}`));
    expect(ids.size).toBe(events.length);
    const settlementIds = events.flatMap(({ event }) =>
      event.type === 'order.settled' ? [event.data.settlementId] : [],
    );
    expect(new Set(settlementIds).size).toBe(settlementIds.length);
    expect(new Set(events.map(({ event }) => event.source))).toEqual(
      new Set(['/platform/orders', '/platform/warehouse', '/platform/logistics']),
    );
  });

  it('never settles more than was paid less what was refunded, and settles after the last refund', () => {
    const orders = new Map<
      string,
      { paid: bigint; refunded: bigint; settled: bigint; settledAtMs?: number }
    >();
    let settlements = 0;
    for (const { event } of events) {
      const orderId = orderIdOf(event);
      if (orderId === undefined || event.source !== '/platform/orders') continue;
      const order = orders.get(orderId) ?? { paid: 0n, refunded: 0n, settled: 0n };
      orders.set(orderId, order);
      if (event.type === 'order.paid') order.paid += event.data.amountMinor;
      if (event.type === 'order.refunded') {
        expect(order.settledAtMs).toBeUndefined();
        order.refunded += event.data.amountMinor;
      }
      if (event.type === 'order.settled') {
        settlements += 1;
        order.settled += event.data.amountMinor;
        order.settledAtMs = timeOf(event);
      }
      expect(order.refunded).toBeLessThanOrEqual(order.paid);
      expect(order.settled).toBeLessThanOrEqual(order.paid - order.refunded);
    }
    expect(settlements).toBeGreaterThan(100);
  });

  it('follows each order from placement: paid or cancelled, never both, shipped only when paid', () => {
    const lifecycle = new Map<string, string[]>();
    for (const { event } of events) {
      const orderId = orderIdOf(event);
      if (orderId !== undefined) lifecycle.set(orderId, [...(lifecycle.get(orderId) ?? []), event.type]);
    }
    for (const types of lifecycle.values()) {
      expect(types[0]).toBe('order.placed');
      const paid = types.includes('order.paid');
      expect(paid && types.includes('order.cancelled')).toBe(false);
      if (types.includes('shipment.dispatched')) expect(paid).toBe(true);
    }
  });

  it('gives each merchant one currency: its own', () => {
    const config = { ...small, currencyMix: { CNY: 1, USD: 1 } };
    const currencyOf = new Map(
      merchantRoster(config).map((merchant) => [merchant.merchantId, merchant.currency]),
    );
    expect(new Set(currencyOf.values())).toEqual(new Set(['CNY', 'USD']));
    for (const { key, event } of simulateMarket(config)) {
      expect(event.subject).toBe(key);
      if ('currency' in event.data) expect(event.data.currency).toBe(currencyOf.get(key));
    }
  });

  it('with lateEventShare, delivers the same events, some up to 48 hours late', () => {
    const late = run({ ...small, lateEventShare: 0.1 });
    expect(late.map(serialise).sort()).toEqual(events.map(serialise).sort());
    let latest = Number.NEGATIVE_INFINITY;
    let outOfOrder = 0;
    for (const { event } of late) {
      const atMs = timeOf(event);
      if (atMs < latest) outOfOrder += 1;
      expect(latest - atMs).toBeLessThanOrEqual(LATE_DELIVERY_DELAY_MS.max);
      latest = Math.max(latest, atMs);
    }
    expect(outOfOrder / late.length).toBeGreaterThan(0.05);
  });

  it('scales volume with ordersPerDayScale', () => {
    const placed = (config: MarketConfig) =>
      run(config).filter(({ event }) => event.type === 'order.placed').length;
    const ratio = placed({ ...small, ordersPerDayScale: 3 }) / placed(small);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(3.5);
  });

  it('emits nothing past the last day: a one-day run has no settlements yet', () => {
    const oneDay = run({ ...small, days: 1 });
    expect(oneDay.some(({ event }) => event.type === 'order.settled')).toBe(false);
    expect(oneDay.every(({ event }) => timeOf(event) < START_MS + DAY_MS)).toBe(true);
  });

  it('generates lazily, day by day: the first events of 500 merchants × 90 days come at once', () => {
    const startedAt = performance.now();
    const stream = simulateMarket({ seed: 'big', merchants: 500, days: 90, start: '2026-08-01' });
    for (let taken = 0; taken < 1_000; taken += 1) expect(stream.next().done).toBe(false);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
  });

  it('generates 200 000 events in a few seconds', () => {
    const startedAt = performance.now();
    let count = 0;
    for (const simulated of simulateMarket({
      seed: 'speed',
      merchants: 200,
      days: 30,
      start: '2026-08-01',
    })) {
      count += simulated.key.length > 0 ? 1 : 0;
      if (count === 200_000) break;
    }
    expect(count).toBe(200_000);
    // Typically about one second; the bound only catches a regression by an order of magnitude.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
  });

  it('refuses an invalid config at once, naming the field', () => {
    expect(() => simulateMarket({ ...small, merchants: 0 })).toThrow(/merchants/);
  });
});
