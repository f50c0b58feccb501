// Pure core of lending: the policy, drawdowns, the loan's state machine with its journal
// entries and events, interest, delinquency and repayment allocation. No I/O; time is an
// argument; infrastructure goes in adapters/. The rules are explained in docs/lending.md.
export * from './business-day';
export * from './lending-policy';
export * from './refusal';
export * from './request-fields';
export * from './credit-line-view';
export * from './loan';
export * from './interest';
export * from './delinquency';
export * from './lending-events';
export * from './loan-journal';
export * from './loan-outcome';
export * from './draw-down';
export * from './disbursement';
export * from './accrual';
export * from './repayment-allocation';
export * from './repayment';
export * from './holdback';
export * from './loan-review';
export * from './lending-position';
export * from './loan-statement';

// The Postgres side (imported by apps and scripts, never by the pure core).
export * from './adapters';
