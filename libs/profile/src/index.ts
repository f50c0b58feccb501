// Pure core: the rules of the rolling profile.
export * from './event-time';
export * from './day-counters';
export * from './profile-retention';
export * from './identity-hash';
export * from './profile-delta';
export * from './profile-state';
export * from './stock-state';
export * from './apply-profile-delta';
export * from './ratio';
export * from './merchant-profile';
export * from './read-windows';
export * from './profile-changed-signal';
export * from './profile-source';

// Redis adapters.
export * from './adapters';
