/**
 * Why a payout fails at a bank, as the simulated treasury reports it in
 * `disbursement.failed.reason`: a stable code Lendstream can store, count and show to an
 * operator. The weights (relative frequencies) follow what payment operations see most:
 * rejections by the beneficiary's bank first, then closed accounts, compliance holds and
 * name mismatches.
 */
export const DISBURSEMENT_FAILURE_REASONS = [
  /** The merchant's bank refused the credit transfer (limits, a technical reject). */
  ['BANK_REJECTED', 40],
  /** The merchant's settlement account no longer exists. */
  ['ACCOUNT_CLOSED', 25],
  /** Anti-money-laundering or sanctions screening stopped the payment. */
  ['COMPLIANCE_HOLD', 20],
  /** The account holder's name does not match the merchant's registered name. */
  ['ACCOUNT_NAME_MISMATCH', 15],
] as const satisfies readonly (readonly [string, number])[];

export type DisbursementFailureReason = (typeof DISBURSEMENT_FAILURE_REASONS)[number][0];

export const FAILURE_REASON_TOTAL_WEIGHT = DISBURSEMENT_FAILURE_REASONS.reduce(
  (total, [, weight]) => total + weight,
  0,
);

/**
 * The reason at position `roll` (an integer from 0 to the total weight, excluded) of the
 * weighted list: integer arithmetic, so the same roll always picks the same reason.
 */
export function failureReasonAt(roll: number): DisbursementFailureReason {
  if (!Number.isSafeInteger(roll) || roll < 0 || roll >= FAILURE_REASON_TOTAL_WEIGHT) {
    throw new RangeError(
      `failureReasonAt: roll must be a whole number from 0 to ${FAILURE_REASON_TOTAL_WEIGHT - 1}, got ${roll}`,
    );
  }
  let remaining = roll;
  for (const [reason, weight] of DISBURSEMENT_FAILURE_REASONS) {
    if (remaining < weight) return reason;
    remaining -= weight;
  }
  // Unreachable: the rolls cover exactly the total weight.
  throw new RangeError(`failureReasonAt: no reason at ${roll}`);
}
