import type { Provider } from '@nestjs/common';
import { z } from 'zod';
import { LENDING_POLICY_V1, LendingPolicy, parseLendingPolicy } from '@lendstream/lending';
import { EnvSource, loadEnvWith, wholeNumber } from '@lendstream/platform';

/** The lending policy the API's drawdowns, repayments and loan statements apply. */
export const API_LENDING_POLICY = Symbol('API_LENDING_POLICY');

/**
 * The variables of the lending policy, read exactly as apps/lending reads them
 * (`lendingPolicyEnvShape` there): a drawdown made over REST and one made from
 * `scf.drawdown-requests.v1` must be assessed by the same rules and record the same policy
 * version. Apps may not import each other, so the two lines live here too; they belong in
 * libs/lending, beside LENDING_POLICY_V1.
 */
const lendingPolicyEnvSchema = z.object({
  LENDING_HOLDBACK_SHARE_BPS: wholeNumber(0, 10_000, LENDING_POLICY_V1.holdbackShareBps),
  LENDING_WRITE_OFF_DAYS_PAST_DUE: wholeNumber(1, 730, LENDING_POLICY_V1.writeOffDaysPastDue),
});

/**
 * v1 with the environment's holdback share and write-off days; a changed policy is versioned
 * `v1-h<bps>-w<days>` as apps/lending versions it, v1's own numbers keep `v1`. A bad variable
 * throws InvalidEnvironmentError naming it, so the API does not boot.
 */
export function apiLendingPolicyFromEnv(source: EnvSource = process.env): LendingPolicy {
  const env = loadEnvWith(lendingPolicyEnvSchema, source);
  const base = LENDING_POLICY_V1;
  const holdbackShareBps = env.LENDING_HOLDBACK_SHARE_BPS;
  const writeOffDaysPastDue = env.LENDING_WRITE_OFF_DAYS_PAST_DUE;
  if (holdbackShareBps === base.holdbackShareBps && writeOffDaysPastDue === base.writeOffDaysPastDue)
    return base;
  return parseLendingPolicy({
    ...base,
    version: `${base.version}-h${holdbackShareBps}-w${writeOffDaysPastDue}`,
    holdbackShareBps,
    writeOffDaysPastDue,
  });
}

export const apiLendingPolicyProvider: Provider = {
  provide: API_LENDING_POLICY,
  useFactory: (): LendingPolicy => apiLendingPolicyFromEnv(),
};
