import { CREDIT_POLICY_V1 } from '../default-policy';
import { CreditAssessment, evaluateCredit } from '../evaluate-policy';
import { LendingPosition, NO_LENDING } from '../freeze-triggers';
import { CreditPolicy } from '../policy';
import { ReasonCode } from '../reason';
import { FIXTURE_AS_OF, profileFixture, ProfileFixtureOverrides } from './profile-fixture';

/** Evaluates a fixture profile with v1 (or `policy`) as of the fixture's asOf. Test support only. */
export function assess(
  overrides: ProfileFixtureOverrides = {},
  options: {
    readonly lending?: Partial<LendingPosition>;
    readonly now?: string;
    readonly policy?: CreditPolicy;
  } = {},
): CreditAssessment {
  return evaluateCredit(profileFixture(overrides), options.policy ?? CREDIT_POLICY_V1, {
    now: options.now ?? overrides.asOf ?? FIXTURE_AS_OF,
    lending: { ...NO_LENDING, ...options.lending },
  });
}

export const codesOf = (reasons: readonly { readonly code: ReasonCode }[]): ReasonCode[] =>
  reasons.map((found) => found.code);
