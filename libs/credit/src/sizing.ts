import { applyBasisPointsFloor, floorToStep, formatMinor, minOf } from './integer-math';
import { CreditPolicy, GradeBand } from './policy';
import { ProfileMetrics } from './profile-metrics';
import { Reason, reason } from './reason';

/**
 * Sizing, JD-style: advance a share of what the platform can see the merchant is owed
 * (receivables) and holds (inventory at cost), cap it by its trading (a multiple of 30-day
 * net GMV) and by its grade. All in bigint minor units; every share is rounded down (floor),
 * and the limit is then rounded down to whole steps. No step can overflow: bigint is
 * unbounded, and the grade cap (at most 2^63 − 1) bounds the result.
 */
export interface Sizing {
  readonly currency: string;
  /** Receivables outstanding clamped at 0. */
  readonly receivablesOutstandingMinor: bigint;
  /** floor(receivables × receivablesAdvanceRateBps / 10 000). */
  readonly receivablesAdvanceMinor: bigint;
  readonly inventoryValueMinor: bigint;
  /** floor(inventory × inventoryAdvanceRateBps / 10 000). */
  readonly inventoryAdvanceMinor: bigint;
  /** What the line could advance against: receivables advance + inventory advance. */
  readonly borrowingBaseMinor: bigint;
  readonly netGmvIn30DaysMinor: bigint;
  /** floor(net GMV × netGmvIn30DaysMultipleBps / 10 000). */
  readonly gmvCapMinor: bigint;
  /** min(borrowing base, GMV cap): the line before its grade's cap. */
  readonly beforeGradeCapMinor: bigint;
}

/** The line a grade allows: its price, its cap, and the limit in whole steps. */
export interface LineOffer {
  readonly grade: string;
  readonly dailyRateBps: number;
  readonly gradeCapMinor: bigint;
  /** floor(min(borrowing base, GMV cap, grade cap) / step) × step. */
  readonly limitMinor: bigint;
  /** Which constraint set the limit, for the people reading the decision. */
  readonly limitReason: Reason;
}

export function sizeLine(metrics: ProfileMetrics, policy: CreditPolicy, currency: string): Sizing {
  const { sizing } = policy;
  const receivablesAdvanceMinor = applyBasisPointsFloor(
    metrics.receivablesOutstandingMinor,
    sizing.receivablesAdvanceRateBps,
  );
  const inventoryAdvanceMinor = applyBasisPointsFloor(
    metrics.inventoryValueMinor,
    sizing.inventoryAdvanceRateBps,
  );
  const borrowingBaseMinor = receivablesAdvanceMinor + inventoryAdvanceMinor;
  const gmvCapMinor = applyBasisPointsFloor(metrics.netGmvIn30DaysMinor, sizing.netGmvIn30DaysMultipleBps);
  return {
    currency,
    receivablesOutstandingMinor: metrics.receivablesOutstandingMinor,
    receivablesAdvanceMinor,
    inventoryValueMinor: metrics.inventoryValueMinor,
    inventoryAdvanceMinor,
    borrowingBaseMinor,
    netGmvIn30DaysMinor: metrics.netGmvIn30DaysMinor,
    gmvCapMinor,
    beforeGradeCapMinor: minOf(borrowingBaseMinor, gmvCapMinor),
  };
}

function limitReasonOf(sizing: Sizing, gradeCapMinor: bigint, grade: string): Reason {
  const { currency } = sizing;
  if (sizing.borrowingBaseMinor === 0n) {
    return reason(
      'NO_BORROWING_BASE',
      "no receivables outstanding and no inventory in the platform's warehouses to lend against",
    );
  }
  if (gradeCapMinor < sizing.beforeGradeCapMinor) {
    return reason(
      'LIMIT_CAPPED_BY_GRADE',
      `limit capped at grade ${grade}'s ${formatMinor(gradeCapMinor, currency)}`,
    );
  }
  if (sizing.gmvCapMinor < sizing.borrowingBaseMinor) {
    return reason(
      'LIMIT_CAPPED_BY_GMV',
      `limit capped by trading: ${formatMinor(sizing.gmvCapMinor, currency)} from 30-day net GMV of ${formatMinor(sizing.netGmvIn30DaysMinor, currency)}`,
    );
  }
  return reason(
    'LIMIT_BY_BORROWING_BASE',
    `limit from receivables advance ${formatMinor(sizing.receivablesAdvanceMinor, currency)} plus inventory advance ${formatMinor(sizing.inventoryAdvanceMinor, currency)}`,
  );
}

export function offerAtGrade(sizing: Sizing, band: GradeBand, policy: CreditPolicy): LineOffer {
  const gradeCapMinor = band.capMinor[sizing.currency];
  const stepMinor = policy.sizing.limitStepMinor[sizing.currency];
  if (gradeCapMinor === undefined || stepMinor === undefined) {
    throw new RangeError(
      `policy ${policy.version} has no ${sizing.currency} amounts (the schema should have refused it)`,
    );
  }
  return {
    grade: band.grade,
    dailyRateBps: band.dailyRateBps,
    gradeCapMinor,
    limitMinor: floorToStep(minOf(sizing.beforeGradeCapMinor, gradeCapMinor), stepMinor),
    limitReason: limitReasonOf(sizing, gradeCapMinor, band.grade),
  };
}
