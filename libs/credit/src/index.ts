// Pure core: the credit policy, its evaluation, the credit line's state machine, the
// portfolio budget and the decision record. No I/O; infrastructure goes in adapters/.
export * from './reason';
export * from './integer-math';
export * from './policy';
export * from './policy-schema';
export * from './default-policy';
export * from './policy-registry';
export * from './profile-metrics';
export * from './eligibility-rules';
export * from './freeze-triggers';
export * from './score';
export * from './sizing';
export * from './evaluate-policy';
export * from './credit-line-state';
export * from './line-offer';
export * from './decide-line';
export * from './manual-freeze';
export * from './allocate-budget';
export * from './fit-to-budget';
export * from './portfolio-book';
export * from './decide-with-budget';
export * from './line-move-forecast';
export * from './json-safe';
export * from './profile-snapshot';
export * from './credit-decision';
export * from './stored-decision';

// The Postgres, Redis and Kafka side of underwriting (imported by apps, never by the pure core).
export * from './adapters';
