import type { Provider } from '@nestjs/common';
import { LendingPolicy, lendingPolicyFromEnv } from '@lendstream/lending';
import type { EnvSource } from '@lendstream/platform';

/** The lending policy the API's drawdowns, repayments and loan statements apply. */
export const API_LENDING_POLICY = Symbol('API_LENDING_POLICY');

/** The same policy apps/lending applies (lendingPolicyFromEnv in libs/lending): a bad variable stops the boot. */
export const apiLendingPolicyFromEnv = (source: EnvSource = process.env): LendingPolicy =>
  lendingPolicyFromEnv(source);

export const apiLendingPolicyProvider: Provider = {
  provide: API_LENDING_POLICY,
  useFactory: (): LendingPolicy => apiLendingPolicyFromEnv(),
};
