import { DAY_MS } from './event-time';

/** The rolling windows the profile answers for, in days. */
export const PROFILE_WINDOW_DAYS = [1, 7, 30, 90] as const;
export type ProfileWindowDays = (typeof PROFILE_WINDOW_DAYS)[number];
export const LONGEST_WINDOW_DAYS: ProfileWindowDays = 90;

/**
 * How much history the profile keeps, and the bounds on its per-merchant state. Every value
 * is part of the stored profile's meaning: a rebuild must use the same retention to give the
 * same profile.
 */
export interface ProfileRetention {
  /**
   * Day records kept, counting the merchant's newest event day. Older days fold into the
   * carried totals. The longest window plus a slack, so that a profile read as of a slightly
   * older instant than the newest event (another topic ran ahead) still has whole windows.
   */
  readonly keptDays: number;
  /**
   * How late (in event time, behind the newest stock event) a stock-out or restock may arrive
   * and still change a SKU's state; also how long a restock is remembered to beat an older
   * stock-out that arrives after it. Within this bound the stock state is order-independent.
   */
  readonly lateStockEventMs: number;
  /** A warehouse snapshot or an open stock-out older than this (behind the newest stock event) is dropped. */
  readonly stockStateMs: number;
  /** Warehouses tracked per merchant; past it, the one with the oldest snapshot is dropped. */
  readonly warehousesMax: number;
  /** SKU states (open stock-outs and remembered restocks) tracked per merchant; past it, the oldest is dropped. */
  readonly stockEntriesMax: number;
}

export const DEFAULT_PROFILE_RETENTION: ProfileRetention = {
  keptDays: LONGEST_WINDOW_DAYS + 1,
  lateStockEventMs: 2 * DAY_MS,
  stockStateMs: LONGEST_WINDOW_DAYS * DAY_MS,
  warehousesMax: 16,
  stockEntriesMax: 32,
};

/** Hard bounds the Redis layout can represent; a retention outside them is a configuration error. */
export const RETENTION_LIMITS = {
  keptDaysMin: LONGEST_WINDOW_DAYS,
  keptDaysMax: 400,
  warehousesMax: 255,
  stockEntriesMax: 255,
} as const;

export function assertValidRetention(retention: ProfileRetention): void {
  const problems: string[] = [];
  const wholeIn = (value: number, min: number, max: number) =>
    Number.isSafeInteger(value) && value >= min && value <= max;
  if (!wholeIn(retention.keptDays, RETENTION_LIMITS.keptDaysMin, RETENTION_LIMITS.keptDaysMax)) {
    problems.push(`keptDays must be ${RETENTION_LIMITS.keptDaysMin}..${RETENTION_LIMITS.keptDaysMax}`);
  }
  if (!wholeIn(retention.lateStockEventMs, 0, retention.stockStateMs)) {
    problems.push('lateStockEventMs must be 0..stockStateMs');
  }
  if (!wholeIn(retention.stockStateMs, 0, retention.keptDays * DAY_MS))
    problems.push('stockStateMs must be 0..keptDays days');
  if (!wholeIn(retention.warehousesMax, 1, RETENTION_LIMITS.warehousesMax))
    problems.push('warehousesMax must be 1..255');
  if (!wholeIn(retention.stockEntriesMax, 1, RETENTION_LIMITS.stockEntriesMax))
    problems.push('stockEntriesMax must be 1..255');
  if (problems.length > 0) throw new RangeError(`invalid profile retention: ${problems.join('; ')}`);
}

/** The first day still kept as a day record, given the merchant's newest event day. */
export const firstKeptDay = (newestDay: number, retention: ProfileRetention): number =>
  newestDay - retention.keptDays + 1;
