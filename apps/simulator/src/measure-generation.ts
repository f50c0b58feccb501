/**
 * Measures pure generation (no encoding, no I/O):
 * `node --expose-gc -r @swc-node/register apps/simulator/src/measure-generation.ts [merchants] [days] [events-max]`.
 * Prints events per second and, with --expose-gc, the most heap ever live, to show that
 * memory stays flat however long the run (the collections add a little to the time).
 */
import { simulateMarket } from '@lendstream/simulation';

const [merchants = 500, days = 90, eventsMax = Number.MAX_SAFE_INTEGER] = process.argv
  .slice(2)
  .map((argument) => Number(argument));
const collectGarbage = (globalThis as { gc?: () => void }).gc;
const HEAP_SAMPLE_EVERY = 250_000;

const startedAtMs = performance.now();
let events = 0;
let liveHeapMaxBytes = 0;
for (const _event of simulateMarket({ seed: 'measure', merchants, days, start: '2026-08-01' })) {
  events += 1;
  if (collectGarbage !== undefined && events % HEAP_SAMPLE_EVERY === 0) {
    collectGarbage();
    liveHeapMaxBytes = Math.max(liveHeapMaxBytes, process.memoryUsage().heapUsed);
  }
  if (events >= eventsMax) break;
}
const elapsedMs = performance.now() - startedAtMs;
const heap =
  collectGarbage === undefined ? '' : ` (live heap at most ${Math.round(liveHeapMaxBytes / 1e6)} MB)`;
console.log(
  `${merchants} merchants × ${days} days: ${events} events in ${(elapsedMs / 1_000).toFixed(2)} s ` +
    `= ${Math.round((events / elapsedMs) * 1_000)} events/s${heap}`,
);
