// The ledger's Postgres side: posting entries, reading them and their balances back, and
// verifying the books. Imported by apps and scripts, never by the pure core.
export * from './post-journal-entries';
export * from './journal-reader';
export * from './balance-reader';
export * from './verify-ledger';
export * from './ledger-integrity-checks';
