/**
 * A Postgres database of its own per test file, migrated by the real migrations (as
 * `npm run stack -- up` does), so that lending tests never see each other's loans, lines,
 * journal or outbox, the stack's or another engineer's, and can corrupt their own book freely.
 * Dropped on cleanup.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withPostgresConnection } from '../../../libs/platform/src/database/adapters/connection';
import { createDataSource } from '../../../libs/platform/src/database/adapters/data-source';
import { runMigrations } from '../../../libs/platform/src/database/adapters/migrate';
import { testEndpoints } from '../../support/env';

export class LendingTestDatabase {
  private readonly dataSources: DataSource[] = [];

  private constructor(
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(label: string): Promise<LendingTestDatabase> {
    const name = `lending_test_${label.replace(/[^a-z0-9]/g, '_')}_${Date.now().toString(36)}_${randomUUID().slice(0, 6)}`;
    const url = new URL(testEndpoints.databaseUrl);
    url.pathname = `/${name}`;
    const database = new LendingTestDatabase(name, url.toString());
    try {
      await runMigrations(database.url);
    } catch (error) {
      await database.cleanup();
      throw error;
    }
    return database;
  }

  async connect(applicationName: string, poolSize = 4): Promise<DataSource> {
    const dataSource = createDataSource({ databaseUrl: this.url, applicationName, poolSize });
    await dataSource.initialize();
    this.dataSources.push(dataSource);
    return dataSource;
  }

  /** Never throws: cleanup must not hide a test's own failure. */
  async cleanup(): Promise<void> {
    for (const dataSource of this.dataSources.splice(0)) {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    }
    await withPostgresConnection(testEndpoints.databaseUrl, (db) =>
      db.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`),
    ).catch(() => undefined);
  }
}
