// The credit library's adapters: Postgres (lines, decisions, the portfolio budget) and the
// underwriting use case that wires the pure policy to the profile store, the inbox and the outbox.
export * from './deterministic-uuid';
export * from './credit-line-row';
export * from './credit-line-store';
export * from './portfolio-budget-store';
export * from './lending-position-store';
export * from './credit-decision-store';
export * from './profile-reader';
export * from './underwrite-merchant';
export * from './underwriting-service';
export * from './coalescing-underwriter';
export * from './silence-sweep';
export * from './budget-sweep';
export * from './latest-live-decisions';
export * from './shadow-decision-pairs';
export * from './decision-scan';
export * from './credit-line-event';
export * from './manual-line-decision';
export * from './manual-line-command';
export * from './portfolio-budget-admin';
export * from './shadow-lane';
export * from './pending-decisions';
