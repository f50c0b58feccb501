import { err, Result } from '@lendstream/contracts';
import { LoanStatus } from './loan';

/**
 * Expected failures are values: a refusal has a stable code (the REST API's 422 `error.code`,
 * a dead letter's `dlq-reason`) and a message a person can act on. Broken invariants (a loan
 * that does not add up, a line that would go negative) throw instead.
 */
export interface Refusal<Code extends string> {
  readonly code: Code;
  readonly message: string;
}

export const DRAWDOWN_REFUSAL_CODES = [
  /** The merchant has no credit line (never granted, or not yet). */
  'NO_CREDIT_LINE',
  /** The line is FROZEN or CLOSED. */
  'LINE_NOT_ACTIVE',
  /** The request's currency is not the line's. */
  'CURRENCY_MISMATCH',
  /** The lending policy does not lend in the line's currency. */
  'CURRENCY_NOT_SUPPORTED',
  'TERM_OUT_OF_RANGE',
  'AMOUNT_TOO_SMALL',
  /** The merchant already has the policy's maximum of open loans. */
  'TOO_MANY_OPEN_LOANS',
  'AMOUNT_EXCEEDS_AVAILABLE',
] as const;

export type DrawdownRefusalCode = (typeof DRAWDOWN_REFUSAL_CODES)[number];
export type DrawdownRefusal = Refusal<DrawdownRefusalCode>;

/** The commands of a loan's state machine, as named in refusals. */
export type LoanCommand =
  'settle-disbursement' | 'fail-disbursement' | 'accrue-interest' | 'review' | 'repay' | 'write-off';

/** A command the loan's status does not allow (settling a cancelled loan, repaying a repaid one…). */
export interface IllegalTransition extends Refusal<'ILLEGAL_TRANSITION'> {
  readonly loanId: string;
  readonly status: LoanStatus;
  readonly command: LoanCommand;
}

export const REPAYMENT_REFUSAL_CODES = [
  'ILLEGAL_TRANSITION',
  'CURRENCY_MISMATCH',
  'AMOUNT_NOT_POSITIVE',
  /** A manual repayment larger than the loan's amount owed: refused, not capped (docs/lending.md). */
  'AMOUNT_EXCEEDS_DUE',
] as const;

export type RepaymentRefusal =
  IllegalTransition | Refusal<Exclude<(typeof REPAYMENT_REFUSAL_CODES)[number], 'ILLEGAL_TRANSITION'>>;

export type WriteOffRefusal = IllegalTransition | Refusal<'WRITE_OFF_NOT_DUE'>;

export const refuse = <Code extends string>(code: Code, message: string): Result<never, Refusal<Code>> =>
  err({ code, message });

const ALLOWED_FROM: Record<LoanCommand, readonly LoanStatus[]> = {
  'settle-disbursement': ['PENDING_DISBURSEMENT'],
  'fail-disbursement': ['PENDING_DISBURSEMENT'],
  'accrue-interest': ['ACTIVE'],
  review: ['ACTIVE'],
  repay: ['ACTIVE'],
  'write-off': ['ACTIVE'],
};

/** Which statuses a command applies to: the state machine's edges, as data. */
export const commandAllowedFrom = (command: LoanCommand): readonly LoanStatus[] => ALLOWED_FROM[command];

/** The refusal for a command the loan's status does not allow, or null when it does. */
export function illegalTransition(
  loan: { readonly loanId: string; readonly status: LoanStatus },
  command: LoanCommand,
): IllegalTransition | null {
  const allowed = ALLOWED_FROM[command];
  if (allowed.includes(loan.status)) return null;
  return {
    code: 'ILLEGAL_TRANSITION',
    loanId: loan.loanId,
    status: loan.status,
    command,
    message: `cannot ${command} loan ${loan.loanId}: it is ${loan.status}, and only a loan that is ${allowed.join(' or ')} can`,
  };
}
