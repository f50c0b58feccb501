/**
 * What `npm run ledger` prints: one line per verification check, and the trial balance as a
 * table per currency. Money as minor units converted exactly (formatMoney), never via floats.
 */
import { ACCOUNTS, LedgerVerification, TrialBalance } from '@lendstream/ledger';
import { formatMoney, table } from '../lib/format';

/** Breaches printed under a failed check; the rest are counted. */
export const BREACHES_SHOWN_PER_CHECK = 5;

export function formatVerification(verification: LedgerVerification): string {
  const nameWidth = Math.max(0, ...verification.outcomes.map((outcome) => outcome.name.length));
  const lines: string[] = [];
  for (const outcome of verification.outcomes) {
    const name = outcome.name.padEnd(nameWidth);
    if (outcome.error !== null) {
      lines.push(`✗ ${name}  could not run: ${outcome.error}`);
      continue;
    }
    if (outcome.breaches.length === 0) {
      lines.push(`✓ ${name}  ok: ${outcome.description}`);
      continue;
    }
    const count = `${outcome.breaches.length}${outcome.truncated ? '+' : ''}`;
    lines.push(
      `✗ ${name}  ${count} breach${outcome.breaches.length === 1 ? '' : 'es'}: ${outcome.description}`,
    );
    for (const breach of outcome.breaches.slice(0, BREACHES_SHOWN_PER_CHECK))
      lines.push(`    ${breach.subject}: ${breach.detail}`);
    const hidden = outcome.breaches.length - BREACHES_SHOWN_PER_CHECK;
    if (hidden > 0 || outcome.truncated)
      lines.push(`    … and ${hidden > 0 ? hidden : 0}${outcome.truncated ? '+' : ''} more`);
  }
  const checks = verification.outcomes.length;
  lines.push(
    verification.ok
      ? `ledger verify: ok, ${checks} checks passed`
      : `ledger verify: FAILED, ${verification.breachCount} breach(es), ${verification.errorCount} check(s) could not run, of ${checks} checks`,
  );
  return lines.join('\n');
}

export function formatTrialBalance(trial: TrialBalance): string {
  if (trial.currencies.length === 0) return 'trial balance: the journal has no lines yet';
  const sections = trial.currencies.map((currency) => {
    const money = (amount: bigint) => formatMoney(amount, currency.currency);
    const rows = currency.accounts.map((account) => [
      account.account,
      ACCOUNTS[account.account].normal === 'DEBIT' ? 'DR' : 'CR',
      money(account.debitMinor),
      money(account.creditMinor),
      money(account.balanceMinor),
    ]);
    rows.push(['total', '', money(currency.debitMinor), money(currency.creditMinor), '']);
    const verdict = currency.balanced
      ? 'debits = credits'
      : `OUT OF BALANCE: debits − credits = ${money(currency.debitMinor - currency.creditMinor)}`;
    const body = table(['account', 'normal', 'debits', 'credits', 'balance'], rows)
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
    return `trial balance ${currency.currency}: ${verdict}\n${body}`;
  });
  return sections.join('\n\n');
}
