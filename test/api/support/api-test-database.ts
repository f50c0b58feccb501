/**
 * A Postgres database of its own per API test file, migrated by the real migrations (as
 * `npm run stack -- up` does), so that the API's reads and the idempotency store see only the
 * test's rows. Dropped on cleanup. (The approach of test/underwriter/support/underwriter-database.ts.)
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withPostgresConnection } from '../../../libs/platform/src/database/adapters/connection';
import { createDataSource } from '../../../libs/platform/src/database/adapters/data-source';
import { runMigrations } from '../../../libs/platform/src/database/adapters/migrate';
import { testEndpoints } from '../../support/env';

export class ApiTestDatabase {
  private readonly dataSources: DataSource[] = [];

  private constructor(
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(label: string): Promise<ApiTestDatabase> {
    const name = `api_test_${label.replace(/[^a-z0-9]/g, '_')}_${Date.now().toString(36)}_${randomUUID().slice(0, 6)}`;
    const url = new URL(testEndpoints.databaseUrl);
    url.pathname = `/${name}`;
    const database = new ApiTestDatabase(name, url.toString());
    try {
      await runMigrations(database.url);
    } catch (error) {
      await database.cleanup();
      throw error;
    }
    return database;
  }

  async connect(applicationName: string, poolSize = 5): Promise<DataSource> {
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
