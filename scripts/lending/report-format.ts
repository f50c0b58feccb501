/**
 * What `npm run lending` prints: a review run (days of interest posted, loans overdue and
 * written off) and the portfolio (by status and days-past-due bucket, interest earned, losses).
 * Money as minor units converted exactly (formatMoney), never via floats.
 */
import {
  DELINQUENCY_BUCKETS,
  LendingPolicy,
  LOAN_STATUSES,
  PortfolioSummary,
  ReviewReport,
} from '@lendstream/lending';
import { formatMoney, table } from '../lib/format';

const days = (count: number): string => `${count} day${count === 1 ? '' : 's'}`;

export function formatReview(report: ReviewReport, policy: LendingPolicy): string {
  const lines = [
    `review as of ${report.asOf} (policy ${policy.version}: write-off at ${policy.writeOffDaysPastDue} days past due)`,
    `examined ${report.examined} active loan(s) behind that instant, changed ${report.changed}`,
  ];
  const interest = [...report.interestPostedMinor].filter(([, amount]) => amount > 0n);
  lines.push(
    `accrued ${days(report.accruedDays)} of interest` +
      (interest.length === 0
        ? ''
        : `: ${interest.map(([currency, amount]) => formatMoney(amount, currency)).join(', ')}`),
  );
  lines.push(`overdue: ${report.overdueCount} loan(s) entered a new days-past-due bucket`);
  for (const loan of report.overdue)
    lines.push(`  ${loan.loanId} of ${loan.merchantId}: ${loan.bucket}, ${days(loan.daysPastDue)} past due`);
  if (report.overdueCount > report.overdue.length)
    lines.push(`  … and ${report.overdueCount - report.overdue.length} more`);
  lines.push(`written off: ${report.writtenOffCount} loan(s)`);
  for (const loan of report.writtenOff)
    lines.push(
      `  ${loan.loanId} of ${loan.merchantId}: ${formatMoney(loan.principalMinor, loan.currency)} principal, ` +
        `${formatMoney(loan.interestMinor, loan.currency)} interest, ${days(loan.daysPastDue)} past due`,
    );
  if (report.writtenOffCount > report.writtenOff.length)
    lines.push(`  … and ${report.writtenOffCount - report.writtenOff.length} more`);
  if (report.deferred > 0)
    lines.push(`deferred: ${report.deferred} write-off(s) whose credit line was busy; run again`);
  lines.push(report.complete ? 'review complete' : 'review stopped at its limit: run again for the rest');
  return lines.join('\n');
}

export function formatPortfolio(summary: PortfolioSummary): string {
  if (summary.currencies.length === 0) return `portfolio as of ${summary.asOf}: no loans yet`;
  return summary.currencies
    .map((portfolio) => {
      const money = (amount: bigint) => formatMoney(amount, portfolio.currency);
      const byStatus = table(
        ['status', 'loans', 'drawn', 'principal owed', 'interest owed'],
        LOAN_STATUSES.map((status) => {
          const row = portfolio.byStatus[status];
          return [
            status,
            String(row.count),
            money(row.principalMinor),
            money(row.outstandingPrincipalMinor),
            money(row.outstandingInterestMinor),
          ];
        }),
      );
      const byBucket = table(
        ['active, days past due', 'loans', 'principal owed', 'interest owed'],
        DELINQUENCY_BUCKETS.map((bucket) => {
          const row = portfolio.activeByBucket[bucket];
          return [
            bucket,
            String(row.count),
            money(row.outstandingPrincipalMinor),
            money(row.outstandingInterestMinor),
          ];
        }),
      );
      return [
        `portfolio ${portfolio.currency} as of ${summary.asOf}`,
        byStatus,
        '',
        byBucket,
        '',
        `exposure (active principal + interest owed)  ${money(portfolio.exposureMinor)}`,
        `reserved for payouts in flight              ${money(portfolio.reservedMinor)}`,
        `interest earned                             ${money(portfolio.interestEarnedMinor)}`,
        `interest collected                          ${money(portfolio.interestCollectedMinor)}`,
        `losses (written off)                        ${money(portfolio.lossesPrincipalMinor)} principal, ${money(portfolio.lossesInterestMinor)} interest`,
      ].join('\n');
    })
    .join('\n\n');
}
