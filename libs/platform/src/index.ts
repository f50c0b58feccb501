export * from './config/env';
export * from './config/env-fields';
export * from './database/adapters/connection';
export * from './database/adapters/data-source';
export * from './database/adapters/migrate';
export { PLATFORM_MIGRATIONS } from './database/migrations';
