/** The simulated treasury's decisions: pure, deterministic, for the simulator's `treasury` command. */
export * from './treasury-settings';
export * from './failure-reasons';
export * from './treasury-decision';
