/**
 * The one list of checks `npm run ledger -- verify` runs. The ledger's own invariants come
 * first; lending's (each loan's outstanding principal and interest equal its ledger balances,
 * no credit line's available amount is negative) are appended here, as LedgerChecks, once
 * libs/lending has its adapters.
 */
import { LedgerCheck, ledgerIntegrityChecks } from '@lendstream/ledger';

export function ledgerChecks(): LedgerCheck[] {
  return [...ledgerIntegrityChecks()];
}
