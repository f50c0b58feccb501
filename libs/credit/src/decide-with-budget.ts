import type { MerchantProfile } from '@lendstream/profile';
import {
  assessForDecision,
  CreditDecision,
  CreditDecisionInput,
  decideCredit,
  DecisionCommand,
} from './credit-decision';
import { CreditLineState, portfolioLineOf } from './credit-line-state';
import { BudgetStanding } from './fit-to-budget';
import { LendingPosition, NO_LENDING } from './freeze-triggers';
import { CreditPolicy } from './policy';
import { PortfolioBook } from './portfolio-book';

export interface BudgetedDecisionInput {
  readonly decisionId: string;
  readonly merchantId: string;
  readonly now: string;
  readonly profile: MerchantProfile;
  readonly previousLine: CreditLineState | null;
  readonly newCreditLineId: string;
  /** What lending reports for the merchant; no loans when absent. */
  readonly lending?: LendingPosition;
}

/** A currency's budget and every line of that currency, as of the start of a batch plus the batch's own decisions. */
export interface CurrencyPortfolio {
  readonly budgetMinor: bigint;
  readonly book: PortfolioBook;
}

/** The portfolios a batch of decisions may touch, by currency; loaded (and locked) by the caller. */
export type Portfolios = ReadonlyMap<string, CurrencyPortfolio>;

/** The currency the line is (or would be) in; null when the policy cannot lend to the merchant. */
export function lendingCurrency(
  input: Pick<BudgetedDecisionInput, 'previousLine' | 'profile'>,
  policy: CreditPolicy,
): string | null {
  if (input.previousLine !== null) return input.previousLine.currency;
  const currency = input.profile.currency;
  return currency !== null && policy.currencies.includes(currency) ? currency : null;
}

/** The command of every decision made here; one frozen object, as the stored input only reads it. */
const UNDERWRITE: DecisionCommand = Object.freeze({ kind: 'underwrite' });

/**
 * One underwriting decision under the portfolio budget. Pure: the caller has locked the
 * merchant and the currency's budget and loaded the currency's lines into `portfolios`.
 *
 * The standing depends on the merchant's rank, that is on its score, which only the decision
 * settles (a held or frozen line keeps the score it had). So the standing is computed with the
 * fresh score first and, if the line ends with another score, once more with that one: at most
 * two passes, and the line is always fitted at the rank it is stored with.
 *
 * The policy is evaluated once: the assessment depends on the profile, the loans, the instant
 * and the line's profileAsOf, never on the budget, so both passes decide on the same one, and
 * its score is the fresh score (the score reads only the profile's metrics and the policy).
 */
export function decideWithBudget(
  input: BudgetedDecisionInput,
  policy: CreditPolicy,
  portfolios: Portfolios,
): CreditDecision {
  const lending = input.lending ?? NO_LENDING;
  const { decisionId, merchantId, now, profile, previousLine, newCreditLineId } = input;
  const decisionInput = (budget: BudgetStanding | null): CreditDecisionInput => ({
    decisionId,
    merchantId,
    now,
    profile,
    previousLine,
    newCreditLineId,
    command: UNDERWRITE,
    lending,
    budget,
  });
  const currency = lendingCurrency(input, policy);
  const portfolio = currency === null ? undefined : portfolios.get(currency);
  if (currency !== null && portfolio === undefined)
    throw new Error(`the ${currency} portfolio was not loaded for the decision about ${input.merchantId}`);
  const unbudgeted = decisionInput(null);
  const assessment = assessForDecision(unbudgeted, policy);
  if (portfolio === undefined) return decideCredit(unbudgeted, policy, assessment);
  const standingAt = (score: number) =>
    portfolio.book.standingOf({ merchantId: input.merchantId, score }, portfolio.budgetMinor);
  const freshScore = assessment.score;
  const decision = decideCredit(decisionInput(standingAt(freshScore)), policy, assessment);
  const storedScore = decision.next?.score;
  if (storedScore === undefined || storedScore === freshScore) return decision;
  return decideCredit(decisionInput(standingAt(storedScore)), policy, assessment);
}

/** Puts a live decision's line into its currency's book, so the next decisions of the batch stand against it. */
export function recordInPortfolio(portfolios: Portfolios, line: CreditLineState): void {
  portfolios.get(line.currency)?.book.put(portfolioLineOf(line));
}
