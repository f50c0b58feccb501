import { DataSource, type DataSourceOptions } from 'typeorm';
import { PLATFORM_MIGRATIONS } from '../migrations';

/** The table TypeORM records applied migrations in (its default, `migrations`, says less). */
export const MIGRATIONS_TABLE = 'schema_migrations';

export interface DataSourceSettings {
  /** postgres://user:password@host:port/database */
  readonly databaseUrl: string;
  /** Entity classes (or EntitySchemas) the caller maps; none for migrations alone. */
  readonly entities?: DataSourceOptions['entities'];
  /** Shown in pg_stat_activity, so a slow query names the service that sent it. */
  readonly applicationName?: string;
  /** Connections per process. Small by default: every service scales out, not up. */
  readonly poolSize?: number;
}

const DEFAULT_POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The options every Lendstream DataSource shares, for `new DataSource(...)` and for Nest's
 * `TypeOrmModule.forRootAsync({ useFactory })`.
 *
 * `synchronize` is false ALWAYS: the schema changes only through reviewed migrations, never
 * by TypeORM diffing entities against a live database (which can drop a column of money).
 */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.databaseUrl,
    applicationName: settings.applicationName ?? 'lendstream',
    poolSize: settings.poolSize ?? DEFAULT_POOL_SIZE,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    entities: settings.entities ?? [],
    synchronize: false,
    migrationsRun: false,
    migrations: [...PLATFORM_MIGRATIONS],
    migrationsTableName: MIGRATIONS_TABLE,
    // Each migration commits on its own: a failure leaves the ones before it applied and
    // recorded, and the failed one rolled back whole (Postgres has transactional DDL).
    migrationsTransactionMode: 'each',
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
