import { ReasonCode } from './reason';
import { assess, codesOf } from './testing/assess';
import { ProfileFixtureOverrides } from './testing/profile-fixture';

/**
 * Hard triggers at their threshold (fires) and one step short (does not); recovery
 * conditions at their bound (clear) and one step past (still blocks). v1: ≥ 5 stock-outs in 7
 * days or ≥ 3 SKUs out of stock now; ≥ 10 refunds in 7 days at ≥ 40 % of paid orders; 7-day
 * daily GMV ≥ 4× its baseline; an overdue loan. Recovery: ≤ 2 stock-outs, ≤ 1 SKU out, refunds
 * ≤ 20 %, GMV ≤ 2.5× (week and month), no overdue loan.
 */
// A merchant with a small baseline: 10 000 fen a day over days 8-90 (830 000), so a spike is easy to dial.
const spikeProfile = (weekPaidMinor: bigint, monthPaidMinor = 500_000n): ProfileFixtureOverrides => ({
  week: { paidAmountMinor: weekPaidMinor },
  month: { paidAmountMinor: monthPaidMinor },
  quarter: { paidAmountMinor: 830_000n + weekPaidMinor },
});

const triggerCases: [ReasonCode, string, ProfileFixtureOverrides, ProfileFixtureOverrides][] = [
  [
    'STOCKOUT_RATE_HIGH',
    '4 / 5 stock-outs in 7 days',
    { week: { stockouts: 4 }, month: { stockouts: 5 } },
    { week: { stockouts: 5 }, month: { stockouts: 5 } },
  ],
  [
    'STOCKOUT_RATE_HIGH',
    '2 / 3 SKUs out of stock now',
    { stockKeepingUnitsOutOfStock: 2 },
    { stockKeepingUnitsOutOfStock: 3 },
  ],
  [
    'REFUND_RATE_HIGH',
    '9 / 10 refunds in 7 days at 40 %',
    { week: { refunds: 9, paidOrders: 22 }, month: { refunds: 12 } },
    { week: { refunds: 10, paidOrders: 25 }, month: { refunds: 12 } },
  ],
  [
    'REFUND_RATE_HIGH',
    '10 refunds at 38 % / 40 % of paid orders',
    { week: { refunds: 10, paidOrders: 26 }, month: { refunds: 12 } },
    { week: { refunds: 10, paidOrders: 25 }, month: { refunds: 12 } },
  ],
  [
    'REFUND_RATE_HIGH',
    '10 refunds with no paid order in the week',
    { week: { refunds: 9, paidOrders: 0 }, month: { refunds: 12 } },
    { week: { refunds: 10, paidOrders: 0 }, month: { refunds: 12 } },
  ],
  [
    'GMV_SPIKE',
    '7-day daily GMV just under / exactly 4× its baseline',
    spikeProfile(279_999n),
    spikeProfile(280_000n),
  ],
];

describe('freeze triggers: one step short does not fire, the threshold fires', () => {
  it('a healthy merchant fires none', () => {
    expect(assess().freezeTriggers).toEqual([]);
  });

  it.each(triggerCases)('%s: %s', (code, _case, short, atThreshold) => {
    expect(codesOf(assess(short).freezeTriggers)).not.toContain(code);
    const firing = assess(atThreshold);
    expect(codesOf(firing.freezeTriggers)).toEqual([code]);
    expect(firing.eligible).toBe(false);
  });

  it('an overdue loan fires, and is listed first', () => {
    const assessment = assess({ stockKeepingUnitsOutOfStock: 3 }, { lending: { hasOverdueLoan: true } });
    expect(codesOf(assessment.freezeTriggers)).toEqual(['OVERDUE_LOAN', 'STOCKOUT_RATE_HIGH']);
    expect(assessment.reasons[0]!.code).toBe('OVERDUE_LOAN');
  });

  it('a spike over a baseline of nothing fires; no sales over nothing does not', () => {
    const onlyThisWeek = (paidAmountMinor: bigint) => ({
      week: { paidAmountMinor },
      month: { paidAmountMinor },
      quarter: { paidAmountMinor },
    });
    expect(codesOf(assess(onlyThisWeek(1n)).freezeTriggers)).toContain('GMV_SPIKE');
    expect(codesOf(assess(onlyThisWeek(0n)).freezeTriggers)).not.toContain('GMV_SPIKE');
  });

  it('judges no spike without 14 days of baseline (a new merchant has no "usual")', () => {
    const spiking = spikeProfile(900_000n, 1_000_000n);
    expect(codesOf(assess(spiking).freezeTriggers)).toContain('GMV_SPIKE');
    // Tenure 19 days: of the baseline (days 8-90 before asOf) only 13 were traded through.
    expect(assess({ ...spiking, tenureDays: 19 }).metrics.gmvSpike).toBeNull();
    expect(codesOf(assess({ ...spiking, tenureDays: 19 }).freezeTriggers)).not.toContain('GMV_SPIKE');
    expect(assess({ ...spiking, tenureDays: 20 }).metrics.gmvSpike?.baselineDays).toBe(14);
  });
});

const recoveryCases: [ReasonCode, string, ProfileFixtureOverrides, ProfileFixtureOverrides][] = [
  [
    'STOCKOUT_RATE_HIGH',
    '2 / 3 stock-outs in 7 days',
    { week: { stockouts: 2 }, month: { stockouts: 2 } },
    { week: { stockouts: 3 }, month: { stockouts: 3 } },
  ],
  [
    'STOCKOUT_RATE_HIGH',
    '1 / 2 SKUs out of stock',
    { stockKeepingUnitsOutOfStock: 1 },
    { stockKeepingUnitsOutOfStock: 2 },
  ],
  [
    'REFUND_RATE_HIGH',
    '10 refunds at 20 % / 20.4 %',
    { week: { refunds: 10, paidOrders: 50 }, month: { refunds: 12 } },
    { week: { refunds: 10, paidOrders: 49 }, month: { refunds: 12 } },
  ],
  ['GMV_SPIKE', '7-day daily GMV 2.5× / just over', spikeProfile(175_000n), spikeProfile(175_001n)],
  // Month: 30 days against the prior 60; the week stays calm (its baseline includes the month).
  [
    'GMV_SPIKE',
    '30-day daily GMV 2.5× / just over',
    { month: { paidAmountMinor: 1_250_000n }, quarter: { paidAmountMinor: 2_250_000n } },
    { month: { paidAmountMinor: 1_250_001n }, quarter: { paidAmountMinor: 2_250_001n } },
  ],
];

describe('recovery: an automatic freeze lifts only well clear of its triggers', () => {
  it('a healthy merchant has nothing blocking recovery', () => {
    expect(assess().recoveryBlockers).toEqual([]);
  });

  it.each(recoveryCases)('%s: %s', (code, _case, clear, blocking) => {
    expect(codesOf(assess(clear).recoveryBlockers)).not.toContain(code);
    expect(codesOf(assess(blocking).recoveryBlockers)).toContain(code);
  });

  it('fewer refunds than a spike needs never block, whatever the rate', () => {
    expect(assess({ week: { refunds: 9, paidOrders: 9 }, month: { refunds: 12 } }).recoveryBlockers).toEqual(
      [],
    );
  });

  it('an overdue loan blocks', () => {
    expect(codesOf(assess({}, { lending: { hasOverdueLoan: true } }).recoveryBlockers)).toEqual([
      'OVERDUE_LOAN',
    ]);
  });
});
