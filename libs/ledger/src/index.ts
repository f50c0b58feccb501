// Pure core: the chart of accounts, the balanced journal entry, balances derived from lines,
// and the verification report. No I/O; infrastructure goes in adapters/.
export * from './accounts';
export * from './journal-entry';
export * from './instant';
export * from './entry-comparison';
export * from './balances';
export * from './verification';

// The Postgres side of the journal (imported by apps and scripts, never by the pure core).
export * from './adapters';
