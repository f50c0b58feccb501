import type { MerchantProfile } from '@lendstream/profile';
import { decideCredit, DecisionCommand } from './credit-decision';
import { CreditLineState, sameCreditLineState } from './credit-line-state';
import { NO_LENDING } from './freeze-triggers';
import { CreditPolicy } from './policy';

/** What a forecast knows: what the underwriter has before it takes any lock. */
export interface LineMoveForecastInput {
  readonly merchantId: string;
  readonly now: string;
  readonly profile: MerchantProfile;
  /** The line as last committed, read without a lock; null without one. */
  readonly previousLine: CreditLineState | null;
}

const UNDERWRITE: DecisionCommand = Object.freeze({ kind: 'underwrite' });
/** Stands in for the ids a real decision derives from its trigger: a forecast is never stored. */
const FORECAST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Whether deciding the merchant now would probably move its line: raise an event, or leave a
 * line that is not the one it has. The live policy's decision on the profile and the line as last
 * committed, without the loans and the budget (read only under the merchant's lock): a forecast
 * that orders work, never a decision. The underwriter commits the merchants it forecasts to move
 * first, in a small transaction of their own, so their events are not held back by the writes of
 * the many decisions that only confirm a line. A wrong forecast costs latency, never correctness:
 * the merchant is decided for real either way. One that cannot be made (the policy throws on
 * this input) says "moves": the real decision then reports the fault without delay. Pure.
 */
export function forecastsLineMove(input: LineMoveForecastInput, policy: CreditPolicy): boolean {
  try {
    const decision = decideCredit(
      {
        decisionId: FORECAST_ID,
        merchantId: input.merchantId,
        now: input.now,
        command: UNDERWRITE,
        profile: input.profile,
        lending: NO_LENDING,
        budget: null,
        previousLine: input.previousLine,
        newCreditLineId: FORECAST_ID,
      },
      policy,
    );
    return decision.event !== null || !sameCreditLineState(decision.next, input.previousLine);
  } catch {
    return true;
  }
}
