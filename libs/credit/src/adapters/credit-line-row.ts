import { CreditLineState, CreditLineStatus } from '../credit-line-state';
import { Reason } from '../reason';

/**
 * A `credit_lines` row as the driver returns it: bigint columns as decimal strings (converted
 * with BigInt, never Number, so no amount loses precision) and timestamps as Dates.
 */
export interface CreditLineRow {
  readonly merchant_id: string;
  readonly credit_line_id: string;
  readonly currency: string;
  readonly status: CreditLineStatus;
  readonly limit_minor: string;
  readonly available_minor: string;
  readonly outstanding_minor: string;
  readonly reserved_minor: string;
  readonly requested_limit_minor: string;
  readonly daily_rate_bps: number;
  readonly grade: string;
  readonly score: number;
  readonly reasons: Reason[];
  readonly manual_freeze: boolean;
  readonly automatic_freeze_since: Date | null;
  readonly soft_decline_since: Date | null;
  readonly policy_version: string;
  readonly last_decision_id: string;
  readonly profile_as_of: Date;
  readonly decided_at: Date;
  readonly last_decided_at: Date;
}

export const CREDIT_LINE_COLUMNS = `merchant_id, credit_line_id, currency, status, limit_minor, available_minor,
  outstanding_minor, reserved_minor, requested_limit_minor, daily_rate_bps, grade, score, reasons,
  manual_freeze, automatic_freeze_since, soft_decline_since, policy_version, last_decision_id,
  profile_as_of, decided_at, last_decided_at`;

const DIGITS = /^-?\d+$/;

function minorOf(column: string, value: string): bigint {
  if (typeof value !== 'string' || !DIGITS.test(value))
    throw new RangeError(`credit_lines.${column} is not a whole number: ${String(value)}`);
  return BigInt(value);
}

const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** The line as the policy sees it; checked by the caller (assertCreditLineState) before use. */
export function lineFromRow(row: CreditLineRow): CreditLineState {
  return {
    creditLineId: row.credit_line_id,
    merchantId: row.merchant_id,
    currency: row.currency,
    status: row.status,
    limitMinor: minorOf('limit_minor', row.limit_minor),
    availableMinor: minorOf('available_minor', row.available_minor),
    outstandingMinor: minorOf('outstanding_minor', row.outstanding_minor),
    reservedMinor: minorOf('reserved_minor', row.reserved_minor),
    requestedLimitMinor: minorOf('requested_limit_minor', row.requested_limit_minor),
    dailyRateBps: row.daily_rate_bps,
    grade: row.grade,
    score: row.score,
    reasons: row.reasons,
    manualFreeze: row.manual_freeze,
    automaticFreezeSince: isoOrNull(row.automatic_freeze_since),
    softDeclineSince: isoOrNull(row.soft_decline_since),
    policyVersion: row.policy_version,
    decisionId: row.last_decision_id,
    profileAsOf: row.profile_as_of.toISOString(),
    decidedAt: row.decided_at.toISOString(),
  };
}

/** Bind parameters in CREDIT_LINE_COLUMNS order; amounts as decimal strings. */
export function lineParameters(line: CreditLineState, lastDecidedAt: string): unknown[] {
  return [
    line.merchantId,
    line.creditLineId,
    line.currency,
    line.status,
    line.limitMinor.toString(),
    line.availableMinor.toString(),
    line.outstandingMinor.toString(),
    line.reservedMinor.toString(),
    line.requestedLimitMinor.toString(),
    line.dailyRateBps,
    line.grade,
    line.score,
    JSON.stringify(line.reasons),
    line.manualFreeze,
    line.automaticFreezeSince,
    line.softDeclineSince,
    line.policyVersion,
    line.decisionId,
    line.profileAsOf,
    line.decidedAt,
    lastDecidedAt,
  ];
}
