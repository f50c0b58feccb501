/**
 * Credit lines and decisions written straight into the scratch database, in the underwriter's
 * shape (migration CreditLines1795880965852), for the API's read routes to find.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface SeededDecision {
  readonly decisionId: string;
  readonly decidedAt: string;
}

const reasonsOf = (code: string) => [{ code, message: `${code.toLowerCase().replace(/_/g, ' ')} (test)` }];

function lineState(
  merchantId: string,
  creditLineId: string,
  decisionId: string,
  decidedAt: string,
  limitMinor: string,
) {
  return {
    creditLineId,
    merchantId,
    currency: 'CNY',
    status: 'ACTIVE',
    limitMinor,
    availableMinor: limitMinor,
    outstandingMinor: '0',
    reservedMinor: '0',
    requestedLimitMinor: limitMinor,
    dailyRateBps: 5,
    grade: 'A',
    score: 800,
    reasons: reasonsOf('LIMIT_BY_BORROWING_BASE'),
    manualFreeze: false,
    automaticFreezeSince: null,
    softDeclineSince: null,
    policyVersion: 'v1',
    decisionId,
    profileAsOf: decidedAt,
    decidedAt,
  };
}

/** A decision at `decidedAt`; its line snapshot has `limitMinor`. */
export async function insertDecision(
  db: DataSource,
  merchantId: string,
  creditLineId: string,
  decidedAt: string,
  limitMinor: string,
  { shadow = false, code = 'LIMIT_BY_BORROWING_BASE' }: { shadow?: boolean; code?: string } = {},
): Promise<SeededDecision> {
  const decisionId = randomUUID();
  await db.query(
    `INSERT INTO credit_decisions (decision_id, merchant_id, policy_version, policy_fingerprint, shadow,
       trigger_kind, trigger_source, trigger_id, profile_found, profile_as_of, decided_at, features, inputs,
       assessment, reasons, resulting_state, budget_fit, rejection, event_type)
     VALUES ($1, $2, 'v1', 'f', $3, 'signal', '/lendstream/profiler', $4, true, $5, $5, NULL, '{}'::jsonb,
       $6::jsonb, $7::jsonb, $8::jsonb, NULL, NULL, 'credit-line.adjusted')`,
    [
      decisionId,
      merchantId,
      shadow,
      `signal-${decisionId}`,
      decidedAt,
      JSON.stringify({ grade: 'A', score: 800, eligible: true, metrics: {} }),
      JSON.stringify(reasonsOf(code)),
      JSON.stringify(lineState(merchantId, creditLineId, decisionId, decidedAt, limitMinor)),
    ],
  );
  return { decisionId, decidedAt };
}

/** The merchant's line as its last decision left it. */
export async function upsertLine(
  db: DataSource,
  merchantId: string,
  creditLineId: string,
  last: SeededDecision,
  limitMinor: string,
): Promise<void> {
  await db.query(
    `INSERT INTO credit_lines (merchant_id, credit_line_id, currency, status, limit_minor, available_minor,
       outstanding_minor, reserved_minor, requested_limit_minor, daily_rate_bps, grade, score, reasons,
       manual_freeze, policy_version, last_decision_id, profile_as_of, decided_at, last_decided_at)
     VALUES ($1, $2, 'CNY', 'ACTIVE', $3, $3, 0, 0, $3, 5, 'A', 800, $4::jsonb, false, 'v1', $5, $6, $6, $6)
     ON CONFLICT (merchant_id) DO UPDATE SET limit_minor = $3, available_minor = $3, requested_limit_minor = $3,
       reasons = $4::jsonb, last_decision_id = $5, profile_as_of = $6, decided_at = $6, last_decided_at = $6`,
    [
      merchantId,
      creditLineId,
      limitMinor,
      JSON.stringify(reasonsOf('LIMIT_BY_BORROWING_BASE')),
      last.decisionId,
      last.decidedAt,
    ],
  );
}
