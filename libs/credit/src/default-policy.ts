import { CreditPolicy } from './policy';

/**
 * The live policy, v1. docs/credit-policy.md explains every number; change them there and
 * here together, and only by adding a new version (stored decisions replay with this one).
 */
export const CREDIT_POLICY_V1: CreditPolicy = {
  version: 'v1',
  summary:
    'Default policy: JD-style sizing (80 % of receivables, 35 % of inventory, capped at 1× 30-day net GMV), MYbank-style daily pricing.',
  currencies: ['CNY', 'USD'],
  eligibility: {
    tenureDaysMin: 30,
    activeDaysIn30DaysMin: 20,
    activeDaysIn7DaysMin: 4,
    paidOrdersIn30DaysMin: 30,
    netGmvIn30DaysMinMinor: { CNY: 300_000n, USD: 50_000n },
    rateSampleMin: 20,
    refundRateMaxBps: 1_500,
    cancelRateMaxBps: 1_000,
    lateDeliveryRateMaxBps: 2_000,
    returnRateMaxBps: 1_000,
    stockoutsIn30DaysMax: 5,
    gmvDeclineMaxBps: 3_000,
    trendPriorDaysMin: 14,
    scoreMin: 400,
  },
  freeze: {
    stockoutsIn7DaysMin: 5,
    stockKeepingUnitsOutOfStockMin: 3,
    refundsIn7DaysMin: 10,
    refundRateIn7DaysMinBps: 4_000,
    gmvSpikeMinBps: 40_000,
    spikeBaselineDaysMin: 14,
  },
  unfreeze: {
    stockoutsIn7DaysMax: 2,
    stockKeepingUnitsOutOfStockMax: 1,
    refundRateIn7DaysMaxBps: 2_000,
    gmvSpikeMaxBps: 25_000,
    frozenDaysMin: 7,
  },
  sizing: {
    receivablesAdvanceRateBps: 8_000,
    inventoryAdvanceRateBps: 3_500,
    netGmvIn30DaysMultipleBps: 10_000,
    limitStepMinor: { CNY: 10_000n, USD: 1_000n },
  },
  score: {
    refundRate: 200,
    cancelRate: 100,
    lateDeliveryRate: 150,
    returnRate: 100,
    stockouts: 200,
    gmvTrend: 100,
    tenure: 150,
    tenureMatureDays: 180,
  },
  grades: [
    { grade: 'A', scoreMin: 800, dailyRateBps: 2, capMinor: { CNY: 100_000_000n, USD: 15_000_000n } },
    { grade: 'B', scoreMin: 650, dailyRateBps: 3, capMinor: { CNY: 50_000_000n, USD: 7_500_000n } },
    { grade: 'C', scoreMin: 500, dailyRateBps: 4, capMinor: { CNY: 20_000_000n, USD: 3_000_000n } },
    { grade: 'D', scoreMin: 400, dailyRateBps: 5, capMinor: { CNY: 5_000_000n, USD: 750_000n } },
    // Below eligibility.scoreMin: priced and capped only so a challenger can lend here.
    { grade: 'E', scoreMin: 0, dailyRateBps: 7, capMinor: { CNY: 1_000_000n, USD: 150_000n } },
  ],
  hysteresis: {
    limitChangeMinBps: 2_000,
    limitChangeMinMinor: { CNY: 100_000n, USD: 15_000n },
    gradeScoreMargin: 25,
    regainAfterDays: 7,
  },
  close: { afterSilenceDays: 60 },
};

/**
 * The live policy since v3: v1's numbers, plus the fail-closed rules a Redis loss showed were
 * missing (docs/credit-policy.md, "Partial profiles"). v1 stays registered, unchanged, so the
 * decisions it made replay as they were made.
 */
export const CREDIT_POLICY_V3: CreditPolicy = {
  ...CREDIT_POLICY_V1,
  version: 'v3',
  summary:
    "v1's numbers; a line holds (no cut, no close) while the merchant's profile has lost history (a Redis loss, until the rebuild); a cut the budget forces goes half a hysteresis band under the fit, so small squeezes move nothing.",
  failClosed: { holdOnPartialHistory: true },
  hysteresis: { ...CREDIT_POLICY_V1.hysteresis, dampBudgetCuts: true },
};

/**
 * The live policy since v4: v3, with the budget's test of a small cut made exact
 * (Hysteresis.strictBudgetCuts). Under v3, once a budget was set, hysteresis held back no
 * downward drift: each was emitted as a budget cut the budget did not need. v3 stays registered,
 * unchanged, so the decisions it made replay as they were made.
 */
export const CREDIT_POLICY_V4: CreditPolicy = {
  ...CREDIT_POLICY_V3,
  version: 'v4',
  summary:
    "v3, with a small cut treated as forced by the budget only when the budget cannot keep the old limit (v3 let every downward drift through hysteresis, as a budget cut).",
  hysteresis: { ...CREDIT_POLICY_V3.hysteresis, strictBudgetCuts: true },
};

/**
 * A challenger for shadow runs: lends more against trading (1.5× GMV) but less against
 * goods, and is stricter on tenure and stock-outs. Its decisions are stored, never emitted.
 */
export const CREDIT_POLICY_V2_CHALLENGER: CreditPolicy = {
  ...CREDIT_POLICY_V1,
  version: 'v2-challenger',
  summary:
    'Challenger: 1.5× GMV trading cap, 75 % receivables, 30 % inventory; 60-day tenure; stricter stock-out rules.',
  eligibility: { ...CREDIT_POLICY_V1.eligibility, tenureDaysMin: 60, stockoutsIn30DaysMax: 3 },
  freeze: { ...CREDIT_POLICY_V1.freeze, stockoutsIn7DaysMin: 4, stockKeepingUnitsOutOfStockMin: 2 },
  unfreeze: { ...CREDIT_POLICY_V1.unfreeze, stockoutsIn7DaysMax: 1, stockKeepingUnitsOutOfStockMax: 0 },
  sizing: {
    ...CREDIT_POLICY_V1.sizing,
    receivablesAdvanceRateBps: 7_500,
    inventoryAdvanceRateBps: 3_000,
    netGmvIn30DaysMultipleBps: 15_000,
  },
};

/**
 * The challenger beside v3 (live since v3): v2-challenger's questions asked of v3, with a
 * 45-day tenure instead of 60. v2's 60 days granted nothing in a 60-day market (the demo's),
 * so its diff only said "declines everyone"; at 45 the tenure's cost still shows (merchants
 * granted 15 days later than live) and both policies lend for long enough to compare limits
 * and prices. Built on v3, not v1, so the diff shows only what the challenger changes.
 */
export const CREDIT_POLICY_V3_CHALLENGER: CreditPolicy = {
  ...CREDIT_POLICY_V3,
  version: 'v3-challenger',
  summary:
    'Challenger to v3: 1.5× GMV trading cap, 75 % receivables, 30 % inventory; 45-day tenure; stricter stock-out rules.',
  eligibility: { ...CREDIT_POLICY_V3.eligibility, tenureDaysMin: 45, stockoutsIn30DaysMax: 3 },
  freeze: CREDIT_POLICY_V2_CHALLENGER.freeze,
  unfreeze: CREDIT_POLICY_V2_CHALLENGER.unfreeze,
  sizing: CREDIT_POLICY_V2_CHALLENGER.sizing,
};

/** The challenger beside v4: v3-challenger with v4's exact budget test, so the diff shows only what the challenger changes. */
export const CREDIT_POLICY_V4_CHALLENGER: CreditPolicy = {
  ...CREDIT_POLICY_V3_CHALLENGER,
  version: 'v4-challenger',
  summary:
    'Challenger to v4: 1.5× GMV trading cap, 75 % receivables, 30 % inventory; 45-day tenure; stricter stock-out rules.',
  hysteresis: CREDIT_POLICY_V4.hysteresis,
};
