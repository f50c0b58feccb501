import fc from 'fast-check';
import type { MerchantProfile } from '@lendstream/profile';
import { assessForDecision, CreditDecision, CreditDecisionInput, decideCredit } from './credit-decision';
import { CreditLineState, portfolioLineOf } from './credit-line-state';
import { BudgetedDecisionInput, decideWithBudget, lendingCurrency, Portfolios } from './decide-with-budget';
import { evaluateCredit } from './evaluate-policy';
import { BudgetStanding } from './fit-to-budget';
import { CreditPolicy } from './policy';
import { policyByVersion } from './policy-registry';
import { PortfolioBook } from './portfolio-book';
import { toStoredDecision } from './stored-decision';
import { lineFixture } from './testing/line-fixture';
import { profileArbitrary } from './testing/profile-arbitrary';
import { FIXTURE_AS_OF, profileFixture } from './testing/profile-fixture';

/**
 * decideWithBudget evaluates the policy once and decides both passes on that assessment. These
 * tests hold it to the definition it replaced: evaluate for the fresh score, then decideCredit
 * (which evaluates again) once or twice. Stored decisions are replayed and compared, so the two
 * must store the same bytes.
 */
function decideWithBudgetByDefinition(
  input: BudgetedDecisionInput,
  policy: CreditPolicy,
  portfolios: Portfolios,
): CreditDecision {
  const lending = input.lending ?? { outstandingMinor: 0n, reservedMinor: 0n, hasOverdueLoan: false };
  const decide = (budget: BudgetStanding | null) =>
    decideCredit({ ...input, command: { kind: 'underwrite' }, lending, budget }, policy);
  const currency = lendingCurrency(input, policy);
  if (currency === null) return decide(null);
  const portfolio = portfolios.get(currency)!;
  const standingAt = (score: number) =>
    portfolio.book.standingOf({ merchantId: input.merchantId, score }, portfolio.budgetMinor);
  const freshScore = evaluateCredit(input.profile, policy, { now: input.now, lending }).score;
  const decision = decide(standingAt(freshScore));
  const storedScore = decision.next?.score;
  if (storedScore === undefined || storedScore === freshScore) return decision;
  return decide(standingAt(storedScore));
}

const storedJson = (decision: CreditDecision): string => JSON.stringify(toStoredDecision(decision));

/** Every currency a decision may stand in, each with the same other lines. */
const portfolioOf = (budgetMinor: bigint, others: number, currencies: readonly string[]): Portfolios => {
  const lines = Array.from({ length: others }, (_, index) =>
    portfolioLineOf(
      lineFixture({
        merchantId: `m-other-${index}`,
        score: (index * 137) % 1_001,
        limitMinor: BigInt(1 + (index % 7)) * 500_000n,
      }),
    ),
  );
  return new Map(currencies.map((currency) => [currency, { budgetMinor, book: new PortfolioBook(lines) }]));
};

const previousLineArbitrary = (profile: MerchantProfile): fc.Arbitrary<CreditLineState | null> =>
  fc.oneof(
    fc.constant(null),
    fc
      .record({
        status: fc.constantFrom('ACTIVE' as const, 'FROZEN' as const, 'CLOSED' as const),
        score: fc.integer({ min: 0, max: 1_000 }),
        limitSteps: fc.integer({ min: 0, max: 60 }),
        grade: fc.constantFrom('A', 'B', 'C'),
        // Before and after the profile's first event: the v3 partial-history rule reads it.
        profileAsOfDays: fc.integer({ min: -1_200, max: 0 }),
      })
      .map(({ status, score, limitSteps, grade, profileAsOfDays }) =>
        lineFixture({
          merchantId: profile.merchantId,
          currency: profile.currency ?? 'CNY',
          status,
          score,
          grade,
          limitMinor: status === 'CLOSED' ? 0n : BigInt(limitSteps) * 100_000n,
          profileAsOf: new Date(Date.parse(FIXTURE_AS_OF) + profileAsOfDays * 86_400_000).toISOString(),
        }),
      ),
  );

describe('decideWithBudget: one evaluation of the policy, the same decisions', () => {
  it.each(['v1', 'v2-challenger', 'v3', 'v3-challenger', 'v4', 'v4-challenger'])(
    'stores exactly what evaluating per pass stored (%s)',
    (version) => {
      const policy = policyByVersion(version);
      fc.assert(
        fc.property(
          profileArbitrary.chain((profile) => fc.tuple(fc.constant(profile), previousLineArbitrary(profile))),
          fc.bigInt({ min: 0n, max: 40_000_000n }),
          fc.bigInt({ min: 0n, max: 600_000n }),
          ([profile, previousLine], budgetMinor, outstandingMinor) => {
            const input: BudgetedDecisionInput = {
              decisionId: 'd-1',
              merchantId: profile.merchantId,
              now: FIXTURE_AS_OF,
              profile,
              previousLine,
              newCreditLineId: 'cl-new',
              lending: { outstandingMinor, reservedMinor: 0n, hasOverdueLoan: false },
            };
            const currencies = [...policy.currencies, profile.currency ?? 'CNY'];
            const portfolios = () => portfolioOf(budgetMinor, 12, currencies);
            expect(storedJson(decideWithBudget(input, policy, portfolios()))).toBe(
              storedJson(decideWithBudgetByDefinition(input, policy, portfolios())),
            );
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('takes its fresh score from the assessment: the score does not read the line (partial-history rule on)', () => {
    const policy = policyByVersion('v3');
    const profile = profileFixture();
    // A line that last saw the merchant before its first event: v3 distrusts the profile.
    const previousLine = lineFixture({ profileAsOf: '2020-01-01T00:00:00.000Z' });
    const lending = { outstandingMinor: 0n, reservedMinor: 0n, hasOverdueLoan: false };
    const input: CreditDecisionInput = {
      decisionId: 'd-1',
      merchantId: profile.merchantId,
      now: FIXTURE_AS_OF,
      command: { kind: 'underwrite' },
      profile,
      lending,
      budget: null,
      previousLine,
      newCreditLineId: 'cl-new',
    };
    const assessment = assessForDecision(input, policy);
    expect(assessment.profileComplete).toBe(false);
    expect(assessment.score).toBe(evaluateCredit(profile, policy, { now: FIXTURE_AS_OF, lending }).score);
  });
});

describe('decideCredit with an assessment handed in', () => {
  const policy = policyByVersion('v3');
  const input: CreditDecisionInput = {
    decisionId: 'd-1',
    merchantId: 'm-000042',
    now: FIXTURE_AS_OF,
    command: { kind: 'underwrite' },
    profile: profileFixture(),
    lending: { outstandingMinor: 0n, reservedMinor: 0n, hasOverdueLoan: false },
    budget: null,
    previousLine: lineFixture({ policyVersion: 'v3' }),
    newCreditLineId: 'cl-new',
  };

  it('decides as if it had evaluated the policy itself', () => {
    expect(storedJson(decideCredit(input, policy, assessForDecision(input, policy)))).toBe(
      storedJson(decideCredit(input, policy)),
    );
  });

  it.each<[string, Partial<CreditDecisionInput>]>([
    ['another instant', { now: '2026-11-30T12:00:01.000Z' }],
    ['other loans', { lending: { outstandingMinor: 1n, reservedMinor: 0n, hasOverdueLoan: false } }],
    ['another profile', { profile: profileFixture({ asOf: '2026-11-30T11:00:00.000Z' }) }],
  ])('refuses the assessment of %s', (_, change) => {
    const assessment = assessForDecision({ ...input, ...change }, policy);
    expect(() => decideCredit(input, policy, assessment)).toThrow(/not its own/);
  });

  it('refuses an assessment made by another policy version', () => {
    const assessment = assessForDecision(input, policyByVersion('v3-challenger'));
    expect(() => decideCredit(input, policy, assessment)).toThrow(/not its own/);
  });
});
