import type { MerchantProfile } from '@lendstream/profile';
import type { EntityManager } from 'typeorm';
import { CreditDecision, decideCredit } from '../credit-decision';
import { CreditLineState } from '../credit-line-state';
import { evaluateCredit } from '../evaluate-policy';
import { BudgetStanding } from '../fit-to-budget';
import { NO_LENDING } from '../freeze-triggers';
import { CreditPolicy } from '../policy';
import { loadBudgetStanding, lockPortfolioBudget } from './portfolio-budget-store';

export interface BudgetedDecisionInput {
  readonly decisionId: string;
  readonly merchantId: string;
  readonly now: string;
  readonly profile: MerchantProfile;
  readonly previousLine: CreditLineState | null;
  readonly newCreditLineId: string;
}

/** The currency the line is (or would be) in; null when the policy cannot lend to the merchant. */
function lendingCurrency(input: BudgetedDecisionInput, policy: CreditPolicy): string | null {
  if (input.previousLine !== null) return input.previousLine.currency;
  const currency = input.profile.currency;
  return currency !== null && policy.currencies.includes(currency) ? currency : null;
}

/**
 * One underwriting decision under the portfolio budget, inside the caller's transaction (the
 * merchant already locked): locks the currency's budget, computes the merchant's standing
 * among the other lines and decides.
 *
 * The standing depends on the merchant's rank, that is on its score, which only the decision
 * settles (a held or frozen line keeps the score it had). So the standing is computed with the
 * fresh score first and, if the line ends with another score, once more with that one: at most
 * two passes, and the line is always fitted at the rank it is stored with.
 *
 * Lending does not exist yet: every merchant has no loans (NO_LENDING).
 */
export async function decideWithBudget(
  manager: EntityManager,
  input: BudgetedDecisionInput,
  policy: CreditPolicy,
): Promise<CreditDecision> {
  const lending = NO_LENDING;
  const currency = lendingCurrency(input, policy);
  const decide = (budget: BudgetStanding | null): CreditDecision =>
    decideCredit({ ...input, command: { kind: 'underwrite' }, lending, budget }, policy);
  if (currency === null) return decide(null);
  const budgetMinor = await lockPortfolioBudget(manager, currency);
  const standingAt = (score: number) =>
    loadBudgetStanding(manager, { merchantId: input.merchantId, score, currency }, budgetMinor);
  const freshScore = evaluateCredit(input.profile, policy, { now: input.now, lending }).score;
  const decision = decide(await standingAt(freshScore));
  const storedScore = decision.next?.score;
  if (storedScore === undefined || storedScore === freshScore) return decision;
  return decide(await standingAt(storedScore));
}
