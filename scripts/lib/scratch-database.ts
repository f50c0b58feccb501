/**
 * A Postgres database of its own for the demo and benchmarks (`<label>_<id>` on the stack's
 * server), migrated by the real migrations, so that the portfolio budget (which sums every
 * line of a currency) counts only this run's merchants and nobody else's lines are touched.
 */
import { DataSource } from 'typeorm';
import {
  createDataSource,
  maintenanceDatabaseUrl,
  runMigrations,
  withPostgresConnection,
} from '@lendstream/platform';

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** A small pool on the database, closed by drop(). */
  connect(applicationName: string): Promise<DataSource>;
  /** Closes every pool opened by connect(), then drops the database (even with sessions left). */
  drop(): Promise<void>;
  /** Closes the pools and leaves the database in place (--keep). */
  release(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `${label}_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/g, '_');
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pools: DataSource[] = [];
  const release = async () => {
    for (const pool of pools.splice(0)) if (pool.isInitialized) await pool.destroy();
  };
  const database: ScratchDatabase = {
    name,
    url: url.toString(),
    async connect(applicationName) {
      const pool = createDataSource({ databaseUrl: url.toString(), applicationName, poolSize: 2 });
      await pool.initialize();
      pools.push(pool);
      return pool;
    },
    async drop() {
      await release();
      // The name is ours (letters, digits, "_"), so it can be spliced into the statement.
      await withPostgresConnection(maintenanceDatabaseUrl(serverUrl), (db) =>
        db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
    release,
  };
  try {
    await runMigrations(database.url); // creates the database, then migrates it
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
  return database;
}
