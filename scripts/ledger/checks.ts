/**
 * The one list of checks `npm run ledger -- verify` runs: the ledger's own invariants first
 * (entries balance, debits equal credits, no forbidden negative balance…), then lending's
 * (every loan row adds up and equals its ledger balances, every loan the journal names exists,
 * every credit line's available amount is right and its reserved and outstanding amounts equal
 * what its merchant's loans hold).
 */
import { LedgerCheck, ledgerIntegrityChecks } from '@lendstream/ledger';
import { lendingLedgerChecks } from '@lendstream/lending';

export const CHECK_SCOPES = ['all', 'ledger', 'lending'] as const;
export type CheckScope = (typeof CHECK_SCOPES)[number];
export const isCheckScope = (value: string): value is CheckScope =>
  (CHECK_SCOPES as readonly string[]).includes(value);

/** `ledger`: the journal's own invariants (a book without lending, as the ledger's tests build); `lending`: lending's; `all`: both. */
export function ledgerChecks(scope: CheckScope = 'all'): LedgerCheck[] {
  return [
    ...(scope === 'lending' ? [] : ledgerIntegrityChecks()),
    ...(scope === 'ledger' ? [] : lendingLedgerChecks()),
  ];
}
