// Lending's Postgres side: loan rows, the credit line as lending moves it, writing a
// transition's outcome (loans, line, journal, outbox) in the caller's transaction, the use
// cases (drawdown, treasury's answers, settlement holdbacks, manual repayments, the daily
// review), the inputs consumed from Kafka, the read models, and lending's `ledger verify`
// checks. Imported by apps and scripts, never by the pure core.
export * from './deterministic-uuid';
export * from './business-instant';
export * from './transaction';
export * from './adapter-refusals';
export * from './loan-row';
export * from './loan-store';
export * from './loan-equality';
export * from './lending-line';
export * from './lending-cloud-events';
export * from './repayment-records';
export * from './write-loan-outcomes';
export * from './request-drawdown';
export * from './disbursement-outcomes';
export * from './settlement-holdback';
export * from './manual-repayment';
export * from './review-loans';
export * from './loan-queries';
export * from './lending-input';
export * from './lending-refusals';
export * from './lending-ledger-checks';
export * from './lending-policy-env';
