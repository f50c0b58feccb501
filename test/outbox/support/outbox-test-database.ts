/**
 * A Postgres schema of its own per test file, so that outbox tests never see each other's
 * rows, the stack's own, or another engineer's: the platform migrations that make the inbox
 * and outbox tables run again inside it, and every DataSource of the test points its
 * search_path at it (the inbox, outbox and relay SQL use unqualified table names, and the
 * relay's advisory locks and notifications are keyed by schema). Dropped on cleanup.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withPostgresConnection } from '../../../libs/platform/src/database/adapters/connection';
import { dataSourceOptions } from '../../../libs/platform/src/database/adapters/data-source';
import { InboxOutbox1732800000000 } from '../../../libs/platform/src/database/migrations/1732800000000-InboxOutbox';
import { InboxOutboxRetention1795879126157 } from '../../../libs/platform/src/database/migrations/1795879126157-InboxOutboxRetention';
import { testEndpoints } from '../../support/env';

const SCHEMA_MIGRATIONS = [new InboxOutbox1732800000000(), new InboxOutboxRetention1795879126157()];

export class OutboxTestDatabase {
  private readonly dataSources: DataSource[] = [];

  private constructor(readonly schema: string) {}

  /** Creates the schema and its tables; `label` shows in the schema's name. */
  static async create(label: string): Promise<OutboxTestDatabase> {
    const schema = `outbox_test_${label.replace(/[^a-z0-9]/g, '_')}_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
    await withPostgresConnection(testEndpoints.databaseUrl, (db) => db.query(`CREATE SCHEMA ${schema}`));
    const database = new OutboxTestDatabase(schema);
    try {
      const migrator = await database.connect('outbox-test-migrate', 1);
      const runner = migrator.createQueryRunner();
      try {
        for (const migration of SCHEMA_MIGRATIONS) await migration.up(runner);
      } finally {
        await runner.release();
      }
    } catch (error) {
      await database.cleanup(); // no half-made schema left behind
      throw error;
    }
    return database;
  }

  /** An initialized DataSource whose connections all use this schema; destroyed on cleanup. */
  async connect(applicationName: string, poolSize = 5): Promise<DataSource> {
    const dataSource = createSchemaDataSource(this.schema, applicationName, poolSize);
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
      db.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`),
    ).catch(() => undefined);
  }
}

/** A DataSource on `schema` (not initialized): the search_path is a connection option, so it holds on every pooled connection. */
export function createSchemaDataSource(
  schema: string,
  applicationName: string,
  poolSize: number,
): DataSource {
  return new DataSource({
    ...dataSourceOptions({ databaseUrl: testEndpoints.databaseUrl, applicationName, poolSize }),
    extra: { options: `-c search_path=${schema}` },
  });
}
