import { LENDING_POLICY_V1, PortfolioSummary, ReviewReport } from '@lendstream/lending';
import { formatPortfolio, formatReview } from './report-format';

const report = (overrides: Partial<ReviewReport> = {}): ReviewReport => ({
  asOf: '2026-08-01T00:00:00.000Z',
  examined: 3,
  changed: 3,
  accruedDays: 31,
  interestPostedMinor: new Map([['CNY', 6_200n]]),
  overdueCount: 1,
  overdue: [{ loanId: 'loan-1', merchantId: 'm-1', bucket: 'DPD_1_30', daysPastDue: 1 }],
  writtenOffCount: 1,
  writtenOff: [
    {
      loanId: 'loan-2',
      merchantId: 'm-2',
      currency: 'CNY',
      principalMinor: 100_000n,
      interestMinor: 1_800n,
      daysPastDue: 90,
    },
  ],
  deferred: 0,
  complete: true,
  ...overrides,
});

describe('formatReview', () => {
  it('says what the run did: days of interest, loans overdue and written off', () => {
    expect(formatReview(report(), LENDING_POLICY_V1).split('\n')).toEqual([
      'review as of 2026-08-01T00:00:00.000Z (policy v1: write-off at 90 days past due)',
      'examined 3 active loan(s) behind that instant, changed 3',
      'accrued 31 days of interest: ¥62.00',
      'overdue: 1 loan(s) entered a new days-past-due bucket',
      '  loan-1 of m-1: DPD_1_30, 1 day past due',
      'written off: 1 loan(s)',
      '  loan-2 of m-2: ¥1,000.00 principal, ¥18.00 interest, 90 days past due',
      'review complete',
    ]);
  });

  it('says when loans were left for the next run, and counts what it does not name', () => {
    const text = formatReview(
      report({
        overdueCount: 150,
        deferred: 2,
        complete: false,
        accruedDays: 0,
        interestPostedMinor: new Map(),
      }),
      LENDING_POLICY_V1,
    );
    expect(text).toContain('accrued 0 days of interest\n');
    expect(text).toContain('  … and 149 more');
    expect(text).toContain('deferred: 2 write-off(s) whose credit line was busy; run again');
    expect(text).toMatch(/review stopped at its limit: run again for the rest$/);
  });
});

describe('formatPortfolio', () => {
  it('says when there are no loans', () => {
    expect(formatPortfolio({ asOf: '2026-08-01T00:00:00.000Z', currencies: [] })).toBe(
      'portfolio as of 2026-08-01T00:00:00.000Z: no loans yet',
    );
  });

  it('prints every status and bucket, exposure, interest and losses', () => {
    const none = {
      count: 0,
      principalMinor: 0n,
      outstandingPrincipalMinor: 0n,
      outstandingInterestMinor: 0n,
    };
    const summary: PortfolioSummary = {
      asOf: '2026-08-01T00:00:00.000Z',
      currencies: [
        {
          currency: 'CNY',
          byStatus: {
            PENDING_DISBURSEMENT: none,
            ACTIVE: {
              count: 2,
              principalMinor: 300_000n,
              outstandingPrincipalMinor: 250_000n,
              outstandingInterestMinor: 1_200n,
            },
            REPAID: none,
            WRITTEN_OFF: {
              count: 1,
              principalMinor: 100_000n,
              outstandingPrincipalMinor: 0n,
              outstandingInterestMinor: 0n,
            },
            CANCELLED: none,
          },
          activeByBucket: {
            CURRENT: {
              count: 1,
              principalMinor: 100_000n,
              outstandingPrincipalMinor: 100_000n,
              outstandingInterestMinor: 200n,
            },
            DPD_1_30: {
              count: 1,
              principalMinor: 200_000n,
              outstandingPrincipalMinor: 150_000n,
              outstandingInterestMinor: 1_000n,
            },
            DPD_31_60: none,
            DPD_61_90: none,
            DPD_90_PLUS: none,
          },
          reservedMinor: 0n,
          exposureMinor: 251_200n,
          interestEarnedMinor: 5_000n,
          interestCollectedMinor: 2_000n,
          lossesPrincipalMinor: 100_000n,
          lossesInterestMinor: 1_800n,
        },
      ],
    };
    const text = formatPortfolio(summary);
    expect(text).toMatch(/^portfolio CNY as of 2026-08-01T00:00:00.000Z$/m);
    expect(text).toMatch(/^ACTIVE +2 +¥3,000\.00 +¥2,500\.00 +¥12\.00$/m);
    expect(text).toMatch(/^DPD_1_30 +1 +¥1,500\.00 +¥10\.00$/m);
    expect(text).toMatch(/^exposure \(active principal \+ interest owed\) +¥2,512\.00$/m);
    expect(text).toMatch(/^losses \(written off\) +¥1,000\.00 principal, ¥18\.00 interest$/m);
  });
});
