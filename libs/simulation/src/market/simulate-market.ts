import { SeededRandom, seedTag } from '../random/seeded-random';
import { EventQueue } from './event-queue';
import { OrderInFlight, orderStepEvent } from './event-factory';
import { MerchantIds } from './ids';
import { DAY_MS, MarketConfig, ResolvedMarketConfig, resolveMarketConfigOrThrow } from './market-config';
import { MerchantSimulation, Schedule } from './merchant-simulation';
import { rosterOf } from './roster';
import { SimulatedEvent } from './simulated-event';
import { HOUR_MS, MINUTE_MS } from './time-of-day';

/** A late event reaches the stream this long (in event time) after it happened. */
export const LATE_DELIVERY_DELAY_MS = { min: 10 * MINUTE_MS, max: 48 * HOUR_MS } as const;
/**
 * A tripwire against a scheduling bug (an entry that keeps rescheduling itself): no real day
 * comes near it, since each order has at most eight steps.
 */
const MAX_AGENDA_POPS_PER_DAY = 200_000_000;

/**
 * One entry of the agenda. A single class (not a union of object literals) so that every
 * entry has the same hidden class: the heap compares millions of them per run.
 */
class AgendaEntry {
  constructor(
    readonly atMs: number,
    readonly seq: number,
    /** `order-step`: the order's next step is due; `event`: a warehouse event is due;
     *  `late-delivery`: an event that already happened reaches the stream now. */
    readonly kind: 'order-step' | 'event' | 'late-delivery',
    readonly order: OrderInFlight | null,
    readonly event: SimulatedEvent | null,
  ) {}
}

/**
 * The simulated marketplace: a deterministic, lazily generated stream of contract-valid
 * order, warehouse and logistics events, in event-time order (unless `lateEventShare` asks
 * for some to arrive late). Each day's orders are planned when the stream reaches that day,
 * and only orders still in flight are held, so a 500-merchant, 90-day run streams in
 * bounded memory. Events that would happen after the last day are not emitted.
 *
 * Throws a RangeError at once when the config is invalid (see `resolveMarketConfig`).
 */
export function simulateMarket(config: MarketConfig): IterableIterator<SimulatedEvent> {
  return generateMarket(resolveMarketConfigOrThrow(config));
}

function* generateMarket(config: ResolvedMarketConfig): Generator<SimulatedEvent, void, undefined> {
  const root = new SeededRandom(config.seed);
  const runTag = seedTag(config.seed);
  const endMs = config.startMs + config.days * DAY_MS;
  const merchants = rosterOf(config).map(
    (profile) =>
      new MerchantSimulation(
        profile,
        root.fork(`days/${profile.merchantNumber}`),
        new MerchantIds(runTag, profile.merchantNumber),
        config,
      ),
  );
  // Lateness draws from its own stream: switching it on reorders the events, never changes them.
  const lateness = root.fork('lateness');
  const agenda = new EventQueue<AgendaEntry>();

  const scheduleStep = (order: OrderInFlight): void => {
    const atMs = order.steps[order.next].atMs;
    if (atMs < endMs) agenda.push((seq) => new AgendaEntry(atMs, seq, 'order-step', order, null));
  };
  const schedule: Schedule = {
    order: scheduleStep,
    event: (atMs, event) => {
      if (atMs < endMs) agenda.push((seq) => new AgendaEntry(atMs, seq, 'event', null, event));
    },
  };

  /** The event itself when it reaches the stream on time; undefined when it was deferred. */
  const onTimeOrDeferred = (atMs: number, event: SimulatedEvent): SimulatedEvent | undefined => {
    if (config.lateEventShare === 0 || !lateness.chance(config.lateEventShare)) return event;
    const deliverAtMs = atMs + lateness.int(LATE_DELIVERY_DELAY_MS.min, LATE_DELIVERY_DELAY_MS.max);
    agenda.push((seq) => new AgendaEntry(deliverAtMs, seq, 'late-delivery', null, event));
    return undefined;
  };

  function* drainBefore(untilMs: number): Generator<SimulatedEvent, void, undefined> {
    for (let pops = 0; pops < MAX_AGENDA_POPS_PER_DAY; pops += 1) {
      const due = agenda.peek();
      if (due === undefined || due.atMs >= untilMs) return;
      agenda.pop();
      let ready: SimulatedEvent | undefined;
      if (due.order !== null) {
        const { order } = due;
        const step = order.steps[order.next];
        order.next += 1;
        if (order.next < order.steps.length) scheduleStep(order);
        ready = onTimeOrDeferred(due.atMs, orderStepEvent(order, step));
      } else if (due.event !== null) {
        ready = due.kind === 'late-delivery' ? due.event : onTimeOrDeferred(due.atMs, due.event);
      }
      if (ready !== undefined) yield ready;
    }
    throw new Error(`agenda did not drain within ${MAX_AGENDA_POPS_PER_DAY} steps: a scheduling bug`);
  }

  for (let dayIndex = 0; dayIndex < config.days; dayIndex += 1) {
    const dayStartMs = config.startMs + dayIndex * DAY_MS;
    const day = { dayIndex, dayStartMs, weekday: new Date(dayStartMs).getUTCDay() };
    for (const merchant of merchants) merchant.planDay(day, schedule);
    yield* drainBefore(dayStartMs + DAY_MS);
  }
  // After the last day only late deliveries remain: events that happened within the run.
  yield* drainBefore(Number.POSITIVE_INFINITY);
}
