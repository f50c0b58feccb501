/**
 * The reason codes of `scf.credit-lines.v1`: stable, so finance operations can filter and act
 * on them, each with a message a person can read. A code names the problem; the event type
 * (granted, adjusted, frozen…) says what the line did about it.
 */
export const REASON_CODES = [
  // Eligibility: a merchant that fails one gets no new money (no line, or a line cut to 0).
  'TENURE_TOO_SHORT',
  'LOW_ACTIVITY',
  'GMV_TOO_LOW',
  'REFUND_RATE_HIGH',
  'CANCEL_RATE_HIGH',
  'STOCKOUT_RATE_HIGH',
  'LATE_DELIVERY_RATE_HIGH',
  'RETURN_RATE_HIGH',
  'GMV_DECLINING',
  'SCORE_TOO_LOW',
  'PROFILE_INCOMPLETE',
  'CURRENCY_NOT_SUPPORTED',
  // Freeze triggers (STOCKOUT_RATE_HIGH and REFUND_RATE_HIGH also name their 7-day spikes).
  'GMV_SPIKE',
  'OVERDUE_LOAN',
  'MANUAL_FREEZE',
  // The line's life.
  'RECOVERED',
  'MERCHANT_SILENT',
  'PORTFOLIO_BUDGET',
  // Sizing: which constraint set the limit.
  'LIMIT_BY_BORROWING_BASE',
  'LIMIT_CAPPED_BY_GMV',
  'LIMIT_CAPPED_BY_GRADE',
  'NO_BORROWING_BASE',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
}

/** The contract allows 32 reasons per event, of 512 characters each; a decision never lists more. */
export const REASONS_MAX = 32;
export const REASON_MESSAGE_MAX = 512;

export const reason = (code: ReasonCode, message: string): Reason => ({ code, message });
