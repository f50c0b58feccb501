import type { JournalEntryDraft } from '@lendstream/ledger';
import { LineChange } from './credit-line-view';
import { LendingEvent } from './lending-events';
import { assertLoan, Loan } from './loan';

/**
 * What a transition of one loan produces, all of it to be written in one database transaction:
 * the loan's new state, the journal entries to post (in order), the output events for the
 * outbox (in order) and how the credit line's reserved and outstanding amounts move.
 */
export interface LoanOutcome {
  readonly loan: Loan;
  readonly journal: readonly JournalEntryDraft[];
  readonly events: readonly LendingEvent[];
  readonly lineChange: LineChange;
}

/** Checks the new loan before anyone writes it. */
export function loanOutcome(
  loan: Loan,
  journal: readonly JournalEntryDraft[],
  events: readonly LendingEvent[],
  lineChange: LineChange,
): LoanOutcome {
  assertLoan(loan);
  if (lineChange.creditLineId !== loan.creditLineId)
    throw new RangeError(`loan ${loan.loanId} changes line ${lineChange.creditLineId}, not its own`);
  return { loan, journal, events, lineChange };
}
