import { CARRIED_COUNTER_INDEXES, DayCounterValues, EXACT_INTEGER_MAX } from './day-counters';
import { dayIndexOf } from './event-time';
import { ProfileDelta } from './profile-delta';
import { firstKeptDay, ProfileRetention } from './profile-retention';
import { DayRecord, emptyProfileState, ProfileState } from './profile-state';
import { applyStockChange } from './stock-state';

export type ApplyOutcome = 'APPLIED' | 'CURRENCY_MISMATCH';

export interface AppliedDelta {
  readonly outcome: ApplyOutcome;
  readonly state: ProfileState;
}

/**
 * Sums exactly and refuses to pass EXACT_INTEGER_MAX (what Redis' Lua numbers hold exactly):
 * on overflow the sum is left as it was and the profile is flagged, so nothing is ever rounded.
 */
class ExactSums {
  overflowed: boolean;
  constructor(overflowed: boolean) {
    this.overflowed = overflowed;
  }
  add(total: bigint, increment: bigint): bigint {
    const sum = total + increment;
    if (sum <= EXACT_INTEGER_MAX) return sum;
    this.overflowed = true;
    return total;
  }
}

function foldIntoCarry(carried: bigint[], counters: DayCounterValues, sums: ExactSums): void {
  CARRIED_COUNTER_INDEXES.forEach((counterIndex, carriedIndex) => {
    carried[carriedIndex] = sums.add(carried[carriedIndex]!, counters[counterIndex]!);
  });
}

/** Trims days that fell out of the kept range into the carry, then adds the delta's counters. */
function applyDayCounters(
  state: ProfileState,
  delta: ProfileDelta,
  newestEventMs: number,
  retention: ProfileRetention,
): Pick<ProfileState, 'days' | 'carriedTotals' | 'overflowed'> {
  const keptFromDay = firstKeptDay(dayIndexOf(newestEventMs), retention);
  const sums = new ExactSums(state.overflowed);
  const carriedTotals = [...state.carriedTotals];
  const days: DayRecord[] = [];
  for (const record of state.days) {
    if (record.day < keptFromDay) foldIntoCarry(carriedTotals, record.counters, sums);
    else days.push(record);
  }
  if (delta.day < keptFromDay) {
    // Too old for any window: only its part of the all-time receivable still matters.
    foldIntoCarry(carriedTotals, delta.counters, sums);
  } else {
    const at = days.findIndex((record) => record.day >= delta.day);
    const existing = at >= 0 && days[at]!.day === delta.day ? days[at]! : null;
    const base = existing?.counters ?? delta.counters.map(() => 0n);
    const record: DayRecord = {
      day: delta.day,
      counters: base.map((total, index) => sums.add(total, delta.counters[index]!)),
    };
    if (existing) days[at] = record;
    else days.splice(at >= 0 ? at : days.length, 0, record);
  }
  return { days, carriedTotals, overflowed: sums.overflowed };
}

/**
 * The business rules of the rolling profile, as a pure reducer: the specification that the
 * Redis script implements byte for byte (the integration tests hold the two to each other).
 * Commutative across events, so the order in which three topics interleave does not matter:
 * sums are sums, stock state is latest-by-event-time, trimming is relative to the newest
 * event. Idempotency (positions, fingerprints) is the store's job, not this function's.
 */
export function applyProfileDelta(
  state: ProfileState | null,
  delta: ProfileDelta,
  retention: ProfileRetention,
): AppliedDelta {
  const current = state ?? emptyProfileState(delta.merchantId, delta.eventTimeMs);
  if (delta.currency !== null && current.currency !== null && delta.currency !== current.currency) {
    return { outcome: 'CURRENCY_MISMATCH', state: current };
  }
  const newestEventMs = Math.max(current.newestEventMs, delta.eventTimeMs);
  return {
    outcome: 'APPLIED',
    state: {
      ...current,
      currency: current.currency ?? delta.currency,
      firstSeenMs: Math.min(current.firstSeenMs, delta.eventTimeMs),
      newestEventMs,
      ...applyDayCounters(current, delta, newestEventMs, retention),
      ...applyStockChange(current, delta, retention),
    },
  };
}
