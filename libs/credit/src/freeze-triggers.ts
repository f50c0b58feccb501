import { formatBasisPoints, fractionReachesBasisPoints } from './integer-math';
import { CreditPolicy } from './policy';
import { ProfileMetrics, gmvExceedsBasisPoints, gmvReachesBasisPoints, rateExceeds } from './profile-metrics';
import { Reason, reason } from './reason';

/**
 * Hard triggers: a sign that lending more now would be reckless, whatever the month looked
 * like. An active line freezes at once. The line unfreezes only when every trigger is well
 * clear of its threshold (the policy's `unfreeze` conditions sit strictly inside the triggers,
 * so a merchant hovering at a threshold does not flap frozen/unfrozen).
 */
export interface LendingPosition {
  readonly outstandingMinor: bigint;
  readonly reservedMinor: bigint;
  readonly hasOverdueLoan: boolean;
}

export const NO_LENDING: LendingPosition = { outstandingMinor: 0n, reservedMinor: 0n, hasOverdueLoan: false };

export const overdueLoanTrigger = (lending: LendingPosition): Reason[] =>
  lending.hasOverdueLoan ? [reason('OVERDUE_LOAN', 'a loan on this line is past its due date')] : [];

const refundSpike = (metrics: ProfileMetrics, policy: CreditPolicy): boolean => {
  const { refundsIn7DaysMin, refundRateIn7DaysMinBps } = policy.freeze;
  const rate = metrics.refundRateIn7Days;
  // Refunds with no paid order in the week are all refund: every rate is reached.
  return (
    metrics.refundsIn7Days >= refundsIn7DaysMin &&
    (rate.denominator === 0n ||
      fractionReachesBasisPoints(rate.numerator, rate.denominator, refundRateIn7DaysMinBps))
  );
};

/** The profile's hard triggers that fire (OVERDUE_LOAN comes from lending, see overdueLoanTrigger). */
export function profileFreezeTriggers(metrics: ProfileMetrics, policy: CreditPolicy): Reason[] {
  const { freeze } = policy;
  const triggers: Reason[] = [];
  if (metrics.stockoutsIn7Days >= freeze.stockoutsIn7DaysMin) {
    triggers.push(
      reason(
        'STOCKOUT_RATE_HIGH',
        `stock-out spike: ${metrics.stockoutsIn7Days} stock-outs in 7 days (freezes at ${freeze.stockoutsIn7DaysMin})`,
      ),
    );
  }
  if (metrics.stockKeepingUnitsOutOfStock >= freeze.stockKeepingUnitsOutOfStockMin) {
    triggers.push(
      reason(
        'STOCKOUT_RATE_HIGH',
        `${metrics.stockKeepingUnitsOutOfStock} SKUs out of stock now (freezes at ${freeze.stockKeepingUnitsOutOfStockMin})`,
      ),
    );
  }
  if (refundSpike(metrics, policy)) {
    const rateBps = metrics.refundRateIn7Days.rateBps;
    triggers.push(
      reason(
        'REFUND_RATE_HIGH',
        `refund spike: ${metrics.refundsIn7Days} refunds in 7 days, ${rateBps === null ? 'with no paid order' : `${formatBasisPoints(rateBps)} of paid orders`} (freezes at ${formatBasisPoints(freeze.refundRateIn7DaysMinBps)})`,
      ),
    );
  }
  if (
    freeze.gmvSpikeMinBps !== null &&
    metrics.gmvSpike !== null &&
    gmvReachesBasisPoints(metrics.gmvSpike, freeze.gmvSpikeMinBps)
  ) {
    const ratio = metrics.gmvSpike.ratioBps;
    triggers.push(
      reason(
        'GMV_SPIKE',
        `daily GMV over 7 days is ${ratio === null ? 'up from nothing' : `${formatBasisPoints(ratio)} of its ${metrics.gmvSpike.baselineDays}-day baseline`} (freezes at ${formatBasisPoints(freeze.gmvSpikeMinBps)}): a bust-out pattern`,
      ),
    );
  }
  return triggers;
}

/** What still stands between an automatic freeze and its release (empty: recovered, as far as the profile goes). */
export function recoveryBlockers(
  metrics: ProfileMetrics,
  policy: CreditPolicy,
  lending: LendingPosition,
): Reason[] {
  const { unfreeze, freeze } = policy;
  const blockers: Reason[] = [...overdueLoanTrigger(lending)];
  if (metrics.stockoutsIn7Days > unfreeze.stockoutsIn7DaysMax) {
    blockers.push(
      reason(
        'STOCKOUT_RATE_HIGH',
        `${metrics.stockoutsIn7Days} stock-outs in 7 days; unfreezes at ${unfreeze.stockoutsIn7DaysMax} or fewer`,
      ),
    );
  }
  if (metrics.stockKeepingUnitsOutOfStock > unfreeze.stockKeepingUnitsOutOfStockMax) {
    blockers.push(
      reason(
        'STOCKOUT_RATE_HIGH',
        `${metrics.stockKeepingUnitsOutOfStock} SKUs out of stock; unfreezes at ${unfreeze.stockKeepingUnitsOutOfStockMax} or fewer`,
      ),
    );
  }
  // Fewer refunds than a spike needs is recovered whatever the rate; otherwise the rate must come down.
  const refundRate = metrics.refundRateIn7Days;
  if (
    metrics.refundsIn7Days >= freeze.refundsIn7DaysMin &&
    (refundRate.denominator === 0n || rateExceeds(refundRate, unfreeze.refundRateIn7DaysMaxBps))
  ) {
    blockers.push(
      reason(
        'REFUND_RATE_HIGH',
        `refunds over 7 days are ${formatBasisPoints(refundRate.rateBps ?? 10_000)} of paid orders; unfreezes at ${formatBasisPoints(unfreeze.refundRateIn7DaysMaxBps)}`,
      ),
    );
  }
  const spike = metrics.gmvSpike;
  if (
    freeze.gmvSpikeMinBps !== null &&
    spike !== null &&
    gmvExceedsBasisPoints(spike, unfreeze.gmvSpikeMaxBps)
  ) {
    blockers.push(
      reason(
        'GMV_SPIKE',
        `daily GMV over 7 days is ${formatBasisPoints(spike.ratioBps ?? 0)} of its baseline; unfreezes at ${formatBasisPoints(unfreeze.gmvSpikeMaxBps)}`,
      ),
    );
  }
  // The week calms down long before the month does: a bust-out's spike sits in the 30-day window
  // (and its refunds arrive) for weeks after its last big day, so the month must calm down too.
  const month = metrics.gmvTrend;
  if (
    freeze.gmvSpikeMinBps !== null &&
    month !== null &&
    gmvExceedsBasisPoints(month, unfreeze.gmvSpikeMaxBps)
  ) {
    blockers.push(
      reason(
        'GMV_SPIKE',
        `daily GMV over 30 days is ${formatBasisPoints(month.ratioBps ?? 0)} of the ${month.baselineDays} days before; unfreezes at ${formatBasisPoints(unfreeze.gmvSpikeMaxBps)}`,
      ),
    );
  }
  return blockers;
}
