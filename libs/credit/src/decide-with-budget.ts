import type { MerchantProfile } from '@lendstream/profile';
import { CreditDecision, decideCredit } from './credit-decision';
import { CreditLineState, portfolioLineOf } from './credit-line-state';
import { evaluateCredit } from './evaluate-policy';
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

/**
 * One underwriting decision under the portfolio budget. Pure: the caller has locked the
 * merchant and the currency's budget and loaded the currency's lines into `portfolios`.
 *
 * The standing depends on the merchant's rank, that is on its score, which only the decision
 * settles (a held or frozen line keeps the score it had). So the standing is computed with the
 * fresh score first and, if the line ends with another score, once more with that one: at most
 * two passes, and the line is always fitted at the rank it is stored with.
 */
export function decideWithBudget(
  input: BudgetedDecisionInput,
  policy: CreditPolicy,
  portfolios: Portfolios,
): CreditDecision {
  const lending = input.lending ?? NO_LENDING;
  const { decisionId, merchantId, now, profile, previousLine, newCreditLineId } = input;
  const decide = (budget: BudgetStanding | null): CreditDecision =>
    decideCredit(
      {
        decisionId,
        merchantId,
        now,
        profile,
        previousLine,
        newCreditLineId,
        command: { kind: 'underwrite' },
        lending,
        budget,
      },
      policy,
    );
  const currency = lendingCurrency(input, policy);
  if (currency === null) return decide(null);
  const portfolio = portfolios.get(currency);
  if (portfolio === undefined)
    throw new Error(`the ${currency} portfolio was not loaded for the decision about ${input.merchantId}`);
  const standingAt = (score: number) =>
    portfolio.book.standingOf({ merchantId: input.merchantId, score }, portfolio.budgetMinor);
  const freshScore = evaluateCredit(input.profile, policy, { now: input.now, lending }).score;
  const decision = decide(standingAt(freshScore));
  const storedScore = decision.next?.score;
  if (storedScore === undefined || storedScore === freshScore) return decision;
  return decide(standingAt(storedScore));
}

/** Puts a live decision's line into its currency's book, so the next decisions of the batch stand against it. */
export function recordInPortfolio(portfolios: Portfolios, line: CreditLineState): void {
  portfolios.get(line.currency)?.book.put(portfolioLineOf(line));
}
