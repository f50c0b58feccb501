import type { EventData } from '@lendstream/contracts';
import { maxOf } from './integer-math';
import { sameCanonicalJson } from './json-safe';
import { POLICY_AMOUNT_MINOR_MAX } from './policy';
import { PortfolioLine } from './fit-to-budget';
import { Reason, REASON_MESSAGE_MAX, REASONS_MAX } from './reason';

export type CreditLineStatus = 'ACTIVE' | 'FROZEN' | 'CLOSED';

/**
 * A merchant's credit line as of its last decision: everything `scf.credit-lines.v1` carries,
 * plus what the next decision needs (why it is frozen, what the policy last offered).
 */
export interface CreditLineState {
  readonly creditLineId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly status: CreditLineStatus;
  readonly limitMinor: bigint;
  /** max(0, limit − outstanding − reserved) while ACTIVE; 0 while FROZEN or CLOSED. */
  readonly availableMinor: bigint;
  /** Outstanding and reserved as lending reported them at the decision. */
  readonly outstandingMinor: bigint;
  readonly reservedMinor: bigint;
  /** The policy's offer before the portfolio budget: this line's claim in the budget ranking. */
  readonly requestedLimitMinor: bigint;
  readonly dailyRateBps: number;
  readonly grade: string;
  readonly score: number;
  readonly reasons: readonly Reason[];
  /** Set by operations; only operations lift it: no automatic decision ever does. */
  readonly manualFreeze: boolean;
  /** When the policy froze the line and still holds it; null when no automatic freeze holds. */
  readonly automaticFreezeSince: string | null;
  /** When a soft rule cut the line to 0; null once it is raised again (see hysteresis.regainAfterDays). */
  readonly softDeclineSince: string | null;
  readonly policyVersion: string;
  readonly decisionId: string;
  readonly profileAsOf: string;
  readonly decidedAt: string;
}

export type CreditLineEventType =
  | 'credit-line.granted'
  | 'credit-line.adjusted'
  | 'credit-line.frozen'
  | 'credit-line.unfrozen'
  | 'credit-line.closed';

export const availableOf = (limitMinor: bigint, outstandingMinor: bigint, reservedMinor: bigint): bigint =>
  maxOf(0n, limitMinor - outstandingMinor - reservedMinor);

export const committedOf = (line: Pick<CreditLineState, 'outstandingMinor' | 'reservedMinor'>): bigint =>
  line.outstandingMinor + line.reservedMinor;

/** What the line exposes the portfolio to: its limit or what is already lent, whichever is more; a closed line only what is lent. */
export const exposureOf = (line: CreditLineState, committedMinor: bigint = committedOf(line)): bigint =>
  line.status === 'CLOSED' ? committedMinor : maxOf(line.limitMinor, committedMinor);

/** The line as the portfolio budget sees it; pass the live commitment from lending when it is newer than the line's. */
export function portfolioLineOf(
  line: CreditLineState,
  committedMinor: bigint = committedOf(line),
): PortfolioLine {
  const requestedLimitMinor =
    line.status === 'ACTIVE' ? line.requestedLimitMinor : line.status === 'FROZEN' ? line.limitMinor : 0n;
  return {
    merchantId: line.merchantId,
    score: line.score,
    requestedLimitMinor,
    exposureMinor: exposureOf(line, committedMinor),
    committedMinor,
  };
}

/** Broken invariants crash loudly (STYLE.md): checked on every state a decision produces. */
export function assertCreditLineState(line: CreditLineState): void {
  const problems: string[] = [];
  // One call per amount rather than a loop over Object.entries of a new object: every state a
  // decision produces passes here, several per decision.
  checkAmount(problems, 'limitMinor', line.limitMinor);
  checkAmount(problems, 'availableMinor', line.availableMinor);
  checkAmount(problems, 'outstandingMinor', line.outstandingMinor);
  checkAmount(problems, 'reservedMinor', line.reservedMinor);
  checkAmount(problems, 'requestedLimitMinor', line.requestedLimitMinor);
  const frozen = line.manualFreeze || line.automaticFreezeSince !== null;
  if ((line.status === 'FROZEN') !== frozen)
    problems.push(`status ${line.status} disagrees with the freeze flags`);
  if (line.status === 'CLOSED' && (line.limitMinor !== 0n || frozen))
    problems.push('a closed line has a limit or a freeze');
  if (line.softDeclineSince !== null && (line.status !== 'ACTIVE' || line.limitMinor !== 0n))
    problems.push('a soft decline holds only an active line at limit 0');
  const expectedAvailable =
    line.status === 'ACTIVE' ? availableOf(line.limitMinor, line.outstandingMinor, line.reservedMinor) : 0n;
  if (line.availableMinor !== expectedAvailable)
    problems.push(`available ${line.availableMinor}, expected ${expectedAvailable}`);
  if (line.reasons.length === 0 || line.reasons.length > REASONS_MAX)
    problems.push(`${line.reasons.length} reasons (1..${REASONS_MAX} expected)`);
  if (hasLongReasonMessage(line.reasons))
    problems.push(`a reason message is longer than ${REASON_MESSAGE_MAX} characters`);
  if (!Number.isSafeInteger(line.score) || line.score < 0 || line.score > 1_000)
    problems.push(`score ${line.score}`);
  if (problems.length > 0)
    throw new RangeError(
      `invalid credit line ${line.creditLineId} of ${line.merchantId}: ${problems.join('; ')}`,
    );
}

/**
 * Whether two lines (or two absences of a line) are the same line, field for field: exactly when
 * their stored forms are the same (canonicalJson(toJsonSafe(line))), without building them.
 * The underwriter asks it after every decision, to tell a changed line (saved) from a held one.
 */
export const sameCreditLineState = (a: CreditLineState | null, b: CreditLineState | null): boolean =>
  sameCanonicalJson(a, b);

function checkAmount(problems: string[], name: string, amount: bigint): void {
  if (amount < 0n || amount > POLICY_AMOUNT_MINOR_MAX) problems.push(`${name} out of range: ${amount}`);
}

function hasLongReasonMessage(reasons: readonly Reason[]): boolean {
  for (const found of reasons) if (found.message.length > REASON_MESSAGE_MAX) return true;
  return false;
}

/** The `scf.credit-lines.v1` payload of a line (amounts still bigint; the codec writes them as strings). */
export function creditLineEventData(line: CreditLineState): EventData<'credit-line.granted'> {
  return {
    merchantId: line.merchantId,
    creditLineId: line.creditLineId,
    status: line.status,
    limitMinor: line.limitMinor,
    availableMinor: line.availableMinor,
    outstandingMinor: line.outstandingMinor,
    currency: line.currency,
    dailyRateBps: line.dailyRateBps,
    grade: line.grade,
    score: line.score,
    reasons: line.reasons.map((found) => ({ code: found.code, message: found.message })),
    policyVersion: line.policyVersion,
    decisionId: line.decisionId,
    profileAsOf: line.profileAsOf,
    decidedAt: line.decidedAt,
  };
}
