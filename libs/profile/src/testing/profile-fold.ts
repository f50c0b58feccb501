import { ProfileInputEvent } from '@lendstream/contracts';
import { AppliedDelta, applyProfileDelta } from '../apply-profile-delta';
import { profileDelta } from '../profile-delta';
import { DEFAULT_PROFILE_RETENTION, ProfileRetention } from '../profile-retention';
import { ProfileState } from '../profile-state';

/** Applies events in the given order through the pure reducer (test support). */
export function foldEvents(
  events: readonly ProfileInputEvent[],
  retention: ProfileRetention = DEFAULT_PROFILE_RETENTION,
): { state: ProfileState | null; outcomes: AppliedDelta['outcome'][] } {
  let state: ProfileState | null = null;
  const outcomes: AppliedDelta['outcome'][] = [];
  for (const event of events) {
    const delta = profileDelta(event);
    if (!delta.ok) throw new Error(delta.error.message);
    const applied = applyProfileDelta(state, delta.value, retention);
    state = applied.state;
    outcomes.push(applied.outcome);
  }
  return { state, outcomes };
}

/** Entries sorted by key, so two states that hold the same facts compare equal whatever their order. */
export function canonicalState(state: ProfileState): ProfileState {
  return {
    ...state,
    warehouses: [...state.warehouses].sort((a, b) => a.warehouseKey.localeCompare(b.warehouseKey)),
    stockKeepingUnits: [...state.stockKeepingUnits].sort((a, b) =>
      a.stockKeepingUnitKey.localeCompare(b.stockKeepingUnitKey),
    ),
  };
}
