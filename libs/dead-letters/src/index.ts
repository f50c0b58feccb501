/**
 * The dead-letter index: reading records of the dead-letter topic into rows an operator can
 * list and filter (pure), their Postgres store and the indexer that consumes the topic (adapters).
 */
export * from './dead-letter-entry';
export * from './dead-letter-page';
export * from './adapters/dead-letter-store';
export * from './adapters/dead-letter-indexer';
