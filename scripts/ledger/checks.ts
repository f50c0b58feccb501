/**
 * The one list of checks `npm run ledger -- verify` runs: the ledger's own invariants first
 * (entries balance, debits equal credits, no forbidden negative balance…), then lending's
 * (every loan row adds up and equals its ledger balances, every loan the journal names exists,
 * every credit line's available amount is right and its reserved and outstanding amounts equal
 * what its merchant's loans hold).
 */
import { LedgerCheck, ledgerIntegrityChecks } from '@lendstream/ledger';
import { lendingLedgerChecks } from '@lendstream/lending';

export function ledgerChecks(): LedgerCheck[] {
  return [...ledgerIntegrityChecks(), ...lendingLedgerChecks()];
}
