export * from './topics';
export * from './result';
export * from './money';
export * from './dead-letter-reason';
export * from './schema-primitives';
export * from './events';
export * from './codec';
export * from './asyncapi';
