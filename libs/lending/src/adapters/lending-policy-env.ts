import { EnvSource, loadEnvWith, wholeNumber } from '@lendstream/platform';
import { z } from 'zod';
import { LENDING_POLICY_V1, LendingPolicy, lendingPolicyOf } from '../lending-policy';

/**
 * The variables of the lending policy, one definition for every process that applies it (the
 * lending app, the API's REST drawdowns and repayments, `npm run lending`): a drawdown made over
 * REST and one from `scf.drawdown-requests.v1` are assessed by the same rules and record the
 * same policy version.
 */
export const lendingPolicyEnvShape = {
  LENDING_HOLDBACK_SHARE_BPS: wholeNumber(0, 10_000, LENDING_POLICY_V1.holdbackShareBps),
  LENDING_WRITE_OFF_DAYS_PAST_DUE: wholeNumber(1, 730, LENDING_POLICY_V1.writeOffDaysPastDue),
};

/** The lending policy the environment asks for; a bad variable throws InvalidEnvironmentError naming it. */
export function lendingPolicyFromEnv(source: EnvSource = process.env): LendingPolicy {
  const env = loadEnvWith(z.object(lendingPolicyEnvShape), source);
  return lendingPolicyOf(env.LENDING_HOLDBACK_SHARE_BPS, env.LENDING_WRITE_OFF_DAYS_PAST_DUE);
}
