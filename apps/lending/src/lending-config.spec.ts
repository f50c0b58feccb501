import { LENDING_POLICY_V1 } from '@lendstream/lending';
import { InvalidEnvironmentError } from '@lendstream/platform';
import { lendingOptionsFromEnv, lendingPolicyFromEnv } from './lending-config';

describe('lendingOptionsFromEnv', () => {
  it('defaults to the local stack, policy v1 and a review every 15 minutes', () => {
    const options = lendingOptionsFromEnv({});
    expect(options).toMatchObject({
      groupId: 'lendstream-lending',
      batchSize: 500,
      reviewIntervalMs: 900_000,
      reviewChunkSize: 200,
      reviewLoansMax: 100_000,
      databasePoolSize: 10,
    });
    expect(options.policy).toBe(LENDING_POLICY_V1);
  });

  it('takes the holdback share and write-off days from the environment, under a version that says so', () => {
    const policy = lendingOptionsFromEnv({
      LENDING_HOLDBACK_SHARE_BPS: '1500',
      LENDING_WRITE_OFF_DAYS_PAST_DUE: '60',
    }).policy;
    expect(policy).toMatchObject({
      version: 'v1-h1500-w60',
      holdbackShareBps: 1_500,
      writeOffDaysPastDue: 60,
    });
    expect(policy.termDaysMax).toBe(LENDING_POLICY_V1.termDaysMax);
    expect(lendingPolicyFromEnv({ LENDING_HOLDBACK_SHARE_BPS: '0' }).version).toBe('v1-h0-w90');
    expect(lendingPolicyFromEnv({ LENDING_HOLDBACK_SHARE_BPS: '2000' })).toBe(LENDING_POLICY_V1);
  });

  it('turns the review off with 0', () => {
    expect(lendingOptionsFromEnv({ LENDING_REVIEW_INTERVAL_MS: '0' }).reviewIntervalMs).toBe(0);
  });

  it.each([
    ['LENDING_HOLDBACK_SHARE_BPS', '10001'],
    ['LENDING_HOLDBACK_SHARE_BPS', '20%'],
    ['LENDING_WRITE_OFF_DAYS_PAST_DUE', '0'],
    ['LENDING_WRITE_OFF_DAYS_PAST_DUE', '731'],
    ['LENDING_BATCH_SIZE', '0'],
    ['LENDING_REVIEW_INTERVAL_MS', 'hourly'],
    ['LENDING_REVIEW_CHUNK', '5001'],
    ['LENDING_REVIEW_LOANS_MAX', '0'],
    ['LENDING_DATABASE_POOL_SIZE', '1'],
    ['LENDING_GROUP_ID', 'has space'],
    ['KAFKA_TOPIC_NAMESPACE', 'a.b'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => lendingOptionsFromEnv({ [variable]: value })).toThrow(InvalidEnvironmentError);
    expect(() => lendingOptionsFromEnv({ [variable]: value })).toThrow(variable);
  });
});
