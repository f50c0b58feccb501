import { SeededRandom } from '../random/seeded-random';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/**
 * Relative order volume by hour of the day in China Standard Time (UTC+8), index 0 = 00:00
 * CST: quiet nights, a lunch bump, and the evening peak of mobile shopping around 21:00.
 */
const ORDERS_BY_CST_HOUR = [2, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 8, 7, 6, 6, 6, 6, 7, 8, 10, 11, 10, 6];
const CST_OFFSET_HOURS = 8;

/** The same weights by UTC hour (simulated days are UTC days). */
const ORDERS_BY_UTC_HOUR: readonly (readonly [number, number])[] = ORDERS_BY_CST_HOUR.map((_, utcHour) => [
  utcHour,
  ORDERS_BY_CST_HOUR[(utcHour + CST_OFFSET_HOURS) % 24],
]);

/** When in a UTC day an order is placed (milliseconds after midnight), following shoppers' hours. */
export function orderTimeOfDayMs(random: SeededRandom): number {
  return random.weightedChoice(ORDERS_BY_UTC_HOUR) * HOUR_MS + random.int(0, HOUR_MS - 1);
}
