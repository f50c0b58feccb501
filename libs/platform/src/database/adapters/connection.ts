import { DataSource, type QueryRunner } from 'typeorm';

/** Bounded: a Postgres that does not answer within this fails the call instead of hanging it. */
const CONNECT_TIMEOUT_MS = 5_000;

export interface ConnectionOptions {
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** Connections in the pool behind `work`; more than one when `work` also uses `dataSource`. */
  readonly poolSize?: number;
}

/**
 * One short-lived connection for tooling (create a database, check a server, take a lock),
 * always closed. Goes through TypeORM's postgres driver (`pg` underneath) so the project
 * needs no second way of connecting and no @types/pg.
 */
export async function withPostgresConnection<T>(
  databaseUrl: string,
  work: (connection: QueryRunner, dataSource: DataSource) => Promise<T>,
  options: ConnectionOptions = {},
): Promise<T> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    applicationName: options.applicationName ?? 'lendstream-tool',
    poolSize: options.poolSize ?? 1,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    synchronize: false,
    entities: [],
  });
  await dataSource.initialize();
  const connection = dataSource.createQueryRunner();
  try {
    await connection.connect();
    return await work(connection, dataSource);
  } finally {
    await connection.release();
    await dataSource.destroy();
  }
}

/** The same server's maintenance database (`postgres`), for what cannot run in the target one. */
export function maintenanceDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** The Postgres SQLSTATE of a failed query, through TypeORM's QueryFailedError or raw from pg. */
export function postgresErrorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate.driverError?.code ?? candidate.code;
  return typeof code === 'string' ? code : undefined;
}
