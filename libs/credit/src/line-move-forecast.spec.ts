import { decideCredit } from './credit-decision';
import { CreditLineState } from './credit-line-state';
import { NO_LENDING } from './freeze-triggers';
import { forecastsLineMove } from './line-move-forecast';
import { livePolicy } from './policy-registry';
import { FIXTURE_AS_OF, profileFixture } from './testing/profile-fixture';

const policy = livePolicy();
const merchantId = 'm-forecast';
const healthy = profileFixture({ merchantId });

/** The line the live policy grants the healthy merchant, as a committed line would be. */
function grantedLine(): CreditLineState {
  const granted = decideCredit(
    {
      decisionId: '6f1c7a52-0000-4000-8000-000000000001',
      merchantId,
      now: FIXTURE_AS_OF,
      command: { kind: 'underwrite' },
      profile: healthy,
      lending: NO_LENDING,
      budget: null,
      previousLine: null,
      newCreditLineId: '6f1c7a52-0000-4000-8000-000000000002',
    },
    policy,
  );
  if (granted.next === null || granted.event !== 'credit-line.granted') throw new Error('the fixture is not granted a line');
  return granted.next;
}

describe('forecastsLineMove', () => {
  const line = grantedLine();
  it.each([
    ['a healthy merchant without a line (granted)', { profile: healthy, previousLine: null }, true],
    ['a line the same profile confirms (held)', { profile: healthy, previousLine: line }, false],
    [
      'a line whose merchant ran out of stock on many SKUs (frozen)',
      { profile: profileFixture({ merchantId, stockKeepingUnitsOutOfStock: 12 }), previousLine: line },
      true,
    ],
    [
      'a merchant too new to lend to, without a line (declined, nothing to move)',
      { profile: profileFixture({ merchantId, tenureDays: 3 }), previousLine: null },
      false,
    ],
    [
      "another merchant's profile (the policy throws: forecast as moving, so the fault surfaces at once)",
      { profile: profileFixture({ merchantId: 'm-someone-else' }), previousLine: line },
      true,
    ],
  ])('%s', (_, { profile, previousLine }, expected) => {
    expect(forecastsLineMove({ merchantId, now: FIXTURE_AS_OF, profile, previousLine }, policy)).toBe(expected);
  });
});
