import type { MerchantProfile } from '@lendstream/profile';
import { assessForDecision, CreditDecision, decideCredit } from '../credit-decision';
import { CreditLineState } from '../credit-line-state';
import { Portfolios } from '../decide-with-budget';
import { BudgetStanding } from '../fit-to-budget';
import { LendingPosition } from '../freeze-triggers';
import { CreditPolicy } from '../policy';

/** Operations' commands on a line (CONTRACT.md: `POST …/credit-line/freeze · /unfreeze`). */
export type ManualLineCommand =
  { readonly kind: 'manual-freeze'; readonly message: string } | { readonly kind: 'manual-unfreeze' };

export interface ManualDecisionInput {
  readonly decisionId: string;
  readonly merchantId: string;
  readonly now: string;
  readonly command: ManualLineCommand;
  readonly previousLine: CreditLineState | null;
  readonly newCreditLineId: string;
  /** What lending holds of the merchant (loadLendingPositions, read under the merchant's lock). */
  readonly lending: LendingPosition;
  /**
   * An unfreeze runs the policy on the profile as of `now` (absentProfile when the store has
   * none: fail closed); a freeze needs none and is given null (it must work while Redis is down).
   */
  readonly profile: MerchantProfile | null;
}

/**
 * A manual command decided by the pure core (decideCredit). Pure: the caller holds the
 * merchant's lock and, for an unfreeze, has loaded the line's currency portfolio under its lock.
 *
 * A freeze changes no limit, so it stands against no budget. An unfreeze reopens the line at a
 * fresh offer, which the portfolio budget caps exactly as an underwriting decision's: the
 * standing is computed at the fresh score, and once more at the score the line ends with if it
 * differs (decideWithBudget's two passes, for this command).
 *
 * The lending position is read as the underwriter reads it, so that a manual decision and an
 * automatic one about the same line see the same loans (an overdue one keeps it frozen).
 */
export function decideManualCommand(
  input: ManualDecisionInput,
  policy: CreditPolicy,
  portfolios: Portfolios,
): CreditDecision {
  const { lending } = input;
  const decide = (budget: BudgetStanding | null): CreditDecision =>
    decideCredit({ ...input, lending, budget }, policy);
  if (input.command.kind === 'manual-freeze' || input.previousLine === null || input.profile === null)
    return decide(null);
  const { previousLine, profile, merchantId } = input;
  const portfolio = portfolios.get(previousLine.currency);
  if (portfolio === undefined)
    throw new Error(
      `the ${previousLine.currency} portfolio was not loaded for the unfreeze of ${merchantId}`,
    );
  const standingAt = (score: number) =>
    portfolio.book.standingOf({ merchantId, score }, portfolio.budgetMinor);
  // The budget plays no part in the assessment: both passes decide on this one (as decideWithBudget).
  const assessment = assessForDecision({ ...input, profile, lending, budget: null }, policy);
  const decideAt = (score: number): CreditDecision =>
    decideCredit({ ...input, lending, budget: standingAt(score) }, policy, assessment);
  const decision = decideAt(assessment.score);
  const storedScore = decision.next?.score;
  if (storedScore === undefined || storedScore === assessment.score) return decision;
  return decideAt(storedScore);
}
