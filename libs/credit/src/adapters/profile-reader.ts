import { emptyProfileState, readWindows, type MerchantProfile } from '@lendstream/profile';

/** Where the underwriter reads profiles from: RedisProfileStore in the app, as-is. */
export interface ProfileReader {
  /** Null: no profile for the merchant (never seen, or Redis lost it and it is not yet rebuilt). */
  readWindows(merchantId: string, asOf: Date): Promise<MerchantProfile | null>;
}

/**
 * What a decision sees when the store has no profile: an empty one as of the decision's
 * instant (no currency, no trading). The policy fails closed on it (PROFILE_INCOMPLETE: no line
 * is granted or raised, an existing line holds as it is), and because it is stored as the
 * decision's features like any profile, a replay recomputes the decision exactly.
 */
export function absentProfile(merchantId: string, asOf: string): MerchantProfile {
  const asOfDate = new Date(asOf);
  return readWindows(emptyProfileState(merchantId, asOfDate.getTime()), asOfDate);
}
