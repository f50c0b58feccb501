import { formatMoney, table } from '../lib/format';
import type { GroupDiff } from './line-comparison';
import type { PolicyDiffReport } from './policy-diff';

const money = (group: GroupDiff, amountMinor: bigint): string =>
  group.mixedCurrencies ? 'mixed currencies' : formatMoney(amountMinor, group.currency ?? '');

/** The diff as two tables for people: decisions (grant flips), then limits and rates. */
export function formatPolicyDiff(report: PolicyDiffReport, liveVersion: string): string {
  const decisions = table(
    ['archetype', 'pairs', 'both grant', 'both decline', 'declined→granted', 'granted→declined'],
    report.groups.map((group) => [
      group.group,
      String(group.pairs),
      String(group.grantedByBoth),
      String(group.declinedByBoth),
      String(group.flipsToGranted),
      String(group.flipsToDeclined),
    ]),
  );
  const limits = table(
    ['archetype', 'limit up', 'limit down', 'total Δ limit', 'median Δ limit', 'rate up', 'rate down'],
    report.groups.map((group) => [
      group.group,
      String(group.limitsUp),
      String(group.limitsDown),
      money(group, group.limitDeltaTotalMinor),
      money(group, group.limitDeltaMedianMinor),
      String(group.ratesUp),
      String(group.ratesDown),
    ]),
  );
  return [
    `policy diff: ${report.challenger} (shadow) against ${liveVersion} (live), per decision of the same trigger`,
    '',
    decisions,
    '',
    'limits (challenger − live; a line not granted lends 0; median over the limits that moved) and daily rates (both granted):',
    '',
    limits,
  ].join('\n');
}
