import { createDataSource } from './data-source';
import { maintenanceDatabaseUrl, postgresErrorCode, withPostgresConnection } from './connection';

export interface MigrationReport {
  /** The database did not exist and was created. */
  readonly createdDatabase: boolean;
  /** Names of the migrations applied by this call, oldest first; empty when none was pending. */
  readonly applied: readonly string[];
}

/** How long a process waits for another one's migrations to finish before giving up. */
const MIGRATION_LOCK_TIMEOUT_MS = 60_000;
/** Any constant works; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_324_800_001;

/**
 * Creates the database named in `databaseUrl` if it is missing, then runs every pending
 * migration. Safe to call on every boot and from `npm run stack -- up`: with nothing pending
 * it changes nothing. Safe when several processes start at once (replicas, compose): the
 * migrations run under a Postgres advisory lock, so the second process waits and then finds
 * nothing pending, instead of failing on "table already exists".
 */
export async function runMigrations(databaseUrl: string): Promise<MigrationReport> {
  const createdDatabase = await createDatabaseIfMissing(databaseUrl);
  const applied = await withMigrationLock(databaseUrl, async () => {
    const dataSource = createDataSource({ databaseUrl, applicationName: 'lendstream-migrate', poolSize: 1 });
    await dataSource.initialize();
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  });
  return { createdDatabase, applied };
}

/** Holds a session-level advisory lock on its own connection while `work` runs. */
function withMigrationLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  return withPostgresConnection(
    databaseUrl,
    async (lockHolder) => {
      // statement_timeout bounds the wait for another process's lock.
      await lockHolder.query(`SET statement_timeout = ${MIGRATION_LOCK_TIMEOUT_MS}`);
      await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await work();
      } finally {
        // Closing the session would release it too; unlocking says so explicitly.
        await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    },
    { applicationName: 'lendstream-migrate-lock' },
  );
}

/** Returns true when it created the database. */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (databaseName === '') throw new Error('DATABASE_URL names no database (expected …/<database>)');
  // CREATE DATABASE cannot run inside the database it creates: use the maintenance database.
  return withPostgresConnection(
    maintenanceDatabaseUrl(databaseUrl),
    async (connection) => {
      const existing: unknown[] = await connection.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        databaseName,
      ]);
      if (existing.length > 0) return false;
      try {
        await connection.query(`CREATE DATABASE ${quoteIdentifier(databaseName)}`);
        return true;
      } catch (error) {
        // Another process created it between our check and now: Postgres says 42P04
        // duplicate_database, or 23505 unique_violation on pg_database when both inserts race.
        const code = postgresErrorCode(error);
        if (code === '42P04' || code === '23505') return false;
        throw error;
      }
    },
    { applicationName: 'lendstream-migrate' },
  );
}

/** Identifiers cannot be bind parameters; quote them the way Postgres does. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
