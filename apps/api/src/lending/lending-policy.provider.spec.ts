import { InvalidEnvironmentError } from '@lendstream/platform';
import { LENDING_POLICY_V1 } from '@lendstream/lending';
import { apiLendingPolicyFromEnv } from './lending-policy.provider';

describe('apiLendingPolicyFromEnv', () => {
  it('is v1 itself unless the environment changes it, like apps/lending', () => {
    expect(apiLendingPolicyFromEnv({})).toBe(LENDING_POLICY_V1);
    expect(apiLendingPolicyFromEnv({ LENDING_HOLDBACK_SHARE_BPS: '2000' })).toBe(LENDING_POLICY_V1);
  });

  it('versions a changed policy v1-h<bps>-w<days>', () => {
    expect(
      apiLendingPolicyFromEnv({ LENDING_HOLDBACK_SHARE_BPS: '1500', LENDING_WRITE_OFF_DAYS_PAST_DUE: '60' }),
    ).toMatchObject({ version: 'v1-h1500-w60', holdbackShareBps: 1_500, writeOffDaysPastDue: 60 });
  });

  it('refuses a bad variable, naming it', () => {
    expect(() => apiLendingPolicyFromEnv({ LENDING_WRITE_OFF_DAYS_PAST_DUE: '0' })).toThrow(
      InvalidEnvironmentError,
    );
    expect(() => apiLendingPolicyFromEnv({ LENDING_HOLDBACK_SHARE_BPS: 'lots' })).toThrow(
      'LENDING_HOLDBACK_SHARE_BPS',
    );
  });
});
