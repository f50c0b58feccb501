import { ok, Result } from '@lendstream/contracts';
import { CreditLineView } from './credit-line-view';
import { formatMinor } from './integer-math';
import { LendingPolicy } from './lending-policy';
import { Loan } from './loan';
import { drawdownReservedEntry, postable } from './loan-journal';
import { LoanOutcome, loanOutcome } from './loan-outcome';
import { DrawdownRefusal, refuse } from './refusal';
import { DrawdownRequest } from './request-fields';

/** What a drawdown that passes every check lends: the loan's fixed terms. */
export interface LoanTerms {
  readonly creditLineId: string;
  readonly principalMinor: bigint;
  readonly currency: string;
  /** Taken from the line at drawdown and fixed for the loan's life, whatever the line's rate later. */
  readonly dailyRateBps: number;
  /** The term runs from the disbursement day, not the request (see dueAtFor). */
  readonly termDays: number;
  readonly policyVersion: string;
}

/**
 * Whether the line can lend the request, checked in this order (the first that fails is the
 * answer): a line exists, it is ACTIVE, the currency is the line's, the policy lends in it,
 * the term is within the policy's, the amount is at least the policy's minimum, the merchant
 * has room for another open loan, and the amount fits what the line has available.
 */
export function assessDrawdown(
  line: CreditLineView | null,
  request: DrawdownRequest,
  openLoanCount: number,
  policy: LendingPolicy,
): Result<LoanTerms, DrawdownRefusal> {
  if (line === null)
    return refuse(
      'NO_CREDIT_LINE',
      'this merchant has no credit line yet; a line is granted automatically once the trading history qualifies',
    );
  if (line.status !== 'ACTIVE')
    return refuse(
      'LINE_NOT_ACTIVE',
      `the credit line is ${line.status}; drawdowns need an ACTIVE line (see the line's reasons for what to fix)`,
    );
  if (request.currency !== line.currency)
    return refuse(
      'CURRENCY_MISMATCH',
      `the request is in ${request.currency} but the credit line lends in ${line.currency}; ask in ${line.currency}`,
    );
  const minimumMinor = policy.drawdownMinMinor[line.currency];
  if (minimumMinor === undefined)
    return refuse(
      'CURRENCY_NOT_SUPPORTED',
      `lending policy ${policy.version} does not lend in ${line.currency} (it lends in ${Object.keys(policy.drawdownMinMinor).join(', ')})`,
    );
  if (request.termDays < policy.termDaysMin || request.termDays > policy.termDaysMax)
    return refuse(
      'TERM_OUT_OF_RANGE',
      `a term of ${request.termDays} days is outside ${policy.termDaysMin}..${policy.termDaysMax}; choose a term between ${policy.termDaysMin} and ${policy.termDaysMax} days`,
    );
  if (request.amountMinor < minimumMinor)
    return refuse(
      'AMOUNT_TOO_SMALL',
      `${formatMinor(request.amountMinor, line.currency)} is below the smallest drawdown, ${formatMinor(minimumMinor, line.currency)}`,
    );
  if (openLoanCount >= policy.openLoansPerMerchantMax)
    return refuse(
      'TOO_MANY_OPEN_LOANS',
      `the merchant already has ${openLoanCount} open loans, the most allowed at once is ${policy.openLoansPerMerchantMax}; repay one first`,
    );
  if (request.amountMinor > line.availableMinor)
    return refuse(
      'AMOUNT_EXCEEDS_AVAILABLE',
      `${formatMinor(request.amountMinor, line.currency)} exceeds what the line has available, ${formatMinor(line.availableMinor, line.currency)}; ask for at most that`,
    );
  return ok({
    creditLineId: line.creditLineId,
    principalMinor: request.amountMinor,
    currency: line.currency,
    dailyRateBps: line.dailyRateBps,
    termDays: request.termDays,
    policyVersion: policy.version,
  });
}

export interface DrawdownCommand {
  readonly merchantId: string;
  /** Made by the caller (for example derived from the requestId), so a retry makes the same loan. */
  readonly loanId: string;
  readonly disbursementId: string;
  /** The merchant's line, read under a row lock in the same transaction; null when it has none. */
  readonly line: CreditLineView | null;
  /** The merchant's loans awaiting disbursement or active. */
  readonly openLoanCount: number;
  readonly request: DrawdownRequest;
  /** Business time of the request. */
  readonly requestedAt: string;
}

/**
 * A drawdown: a loan awaiting disbursement, its DRAWDOWN_RESERVED entry, the
 * `disbursement.requested` event for treasury, and the principal reserved on the line.
 */
export function drawDown(
  command: DrawdownCommand,
  policy: LendingPolicy,
): Result<LoanOutcome, DrawdownRefusal> {
  if (command.line !== null && command.line.merchantId !== command.merchantId)
    throw new RangeError(`line ${command.line.creditLineId} is not merchant ${command.merchantId}'s`);
  if (!Number.isSafeInteger(command.openLoanCount) || command.openLoanCount < 0)
    throw new RangeError(`openLoanCount must be a whole number >= 0, got ${command.openLoanCount}`);
  const assessed = assessDrawdown(command.line, command.request, command.openLoanCount, policy);
  if (!assessed.ok) return assessed;
  const terms = assessed.value;
  const loan: Loan = {
    loanId: command.loanId,
    merchantId: command.merchantId,
    creditLineId: terms.creditLineId,
    disbursementId: command.disbursementId,
    currency: terms.currency,
    status: 'PENDING_DISBURSEMENT',
    principalMinor: terms.principalMinor,
    dailyRateBps: terms.dailyRateBps,
    termDays: terms.termDays,
    policyVersion: terms.policyVersion,
    requestedAt: command.requestedAt,
    disbursedAt: null,
    treasuryRef: null,
    dueAt: null,
    principalOutstandingMinor: 0n,
    principalRepaidMinor: 0n,
    principalWrittenOffMinor: 0n,
    interestAccruedMinor: 0n,
    interestOutstandingMinor: 0n,
    interestRepaidMinor: 0n,
    interestWrittenOffMinor: 0n,
    interestCarryTenThousandths: 0n,
    lastAccruedDay: null,
    overdueBucketReported: 'CURRENT',
    cancellationReason: null,
    closedAt: null,
  };
  return ok(
    loanOutcome(
      loan,
      postable([drawdownReservedEntry(loan)]),
      [
        {
          type: 'disbursement.requested',
          data: {
            merchantId: loan.merchantId,
            disbursementId: loan.disbursementId,
            loanId: loan.loanId,
            creditLineId: loan.creditLineId,
            amountMinor: loan.principalMinor,
            currency: loan.currency,
            requestedAt: loan.requestedAt,
          },
        },
      ],
      { creditLineId: loan.creditLineId, reservedDeltaMinor: loan.principalMinor, outstandingDeltaMinor: 0n },
    ),
  );
}
