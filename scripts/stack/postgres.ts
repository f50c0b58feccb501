/**
 * PostgreSQL for the stack: the machine's own cluster (Debian's pg_ctlcluster), started by
 * `up` only if it is not running, and then remembered so that `down` stops only that.
 */
import { existsSync, readdirSync } from 'node:fs';
import { maintenanceDatabaseUrl, withPostgresConnection } from '@lendstream/platform';
import { isLoopback, type HostPort } from './endpoints';
import { StackError } from './errors';
import { say, seconds } from './log';
import { findOnPath, runCommand } from './proc';
import { readState, updateState } from './state';
import { canConnect, waitUntil } from './wait';

const PG_CONFIG_ROOT = '/etc/postgresql';
const CLUSTER_NAME = 'main';
const PG_CTL_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 30_000;

export async function ensurePostgres(endpoint: HostPort): Promise<void> {
  const where = `${endpoint.host}:${endpoint.port}`;
  if (await canConnect(endpoint.host, endpoint.port)) return;
  if (!isLoopback(endpoint.host)) {
    throw new StackError(
      `PostgreSQL at ${where} (DATABASE_URL) is not reachable; start it, or unset DATABASE_URL to use the local one`,
    );
  }
  const version = installedClusterVersion();
  if (version === undefined) {
    throw new StackError(
      `PostgreSQL is not running on ${where} and no local cluster is installed (fix: apt-get install -y postgresql), or set DATABASE_URL`,
    );
  }
  const started = Date.now();
  say('postgres', `not running on ${where}: starting cluster ${version}/${CLUSTER_NAME}…`);
  const result = await runCommand(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', version, CLUSTER_NAME, 'start'],
    { timeoutMs: PG_CTL_TIMEOUT_MS },
  );
  if (result.exitCode !== 0) {
    throw new StackError(
      `pg_ctlcluster ${version} ${CLUSTER_NAME} start failed: ${result.output.trim().split('\n').pop() ?? ''}`,
    );
  }
  updateState((state) => {
    state.postgres = { cluster: { version, name: CLUSTER_NAME }, startedAt: new Date().toISOString() };
  });
  await waitUntil(() => canConnect(endpoint.host, endpoint.port), {
    what: `PostgreSQL on ${where}`,
    timeoutMs: READY_TIMEOUT_MS,
    hint: `the cluster started but does not listen there: check port in ${PG_CONFIG_ROOT}/${version}/${CLUSTER_NAME}/postgresql.conf`,
  });
  say('postgres', `started on ${where} in ${seconds(started)}`);
}

/** Stops the cluster if `up` started it; returns whether it did. */
export async function stopPostgresIfOurs(): Promise<boolean> {
  const ours = readState().postgres;
  if (!ours) return false;
  const { version, name } = ours.cluster;
  const result = await runCommand('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'stop'], {
    timeoutMs: PG_CTL_TIMEOUT_MS,
  });
  // Exit 2 means "not running": someone stopped it already, which is what we wanted.
  if (result.exitCode !== 0 && result.exitCode !== 2) {
    throw new StackError(
      `pg_ctlcluster ${version} ${name} stop failed: ${result.output.trim().split('\n').pop() ?? ''}`,
    );
  }
  updateState((state) => {
    delete state.postgres;
  });
  return true;
}

export interface PostgresStatus {
  readonly reachable: boolean;
  readonly pid?: number;
  readonly version?: string;
}

/** What runs at `url`: its server version and postmaster pid (when we may read it: superuser). */
export async function postgresStatus(endpoint: HostPort, url: string): Promise<PostgresStatus> {
  if (!(await canConnect(endpoint.host, endpoint.port))) return { reachable: false };
  try {
    return await withPostgresConnection(
      maintenanceDatabaseUrl(url),
      async (connection) => {
        const [{ version }]: Array<{ version: string }> = await connection.query(
          `SELECT current_setting('server_version') AS version`,
        );
        // The data directory's postmaster.pid starts with the server's pid; readable by superusers only.
        const pid = await connection
          .query(`SELECT split_part(pg_read_file('postmaster.pid'), E'\\n', 1) AS pid`)
          .then((rows: Array<{ pid: string }>) => Number(rows[0]?.pid))
          .catch(() => undefined);
        return { reachable: true, version, ...(pid ? { pid } : {}) };
      },
      { applicationName: 'lendstream-stack-status' },
    );
  } catch {
    return { reachable: true };
  }
}

/** The newest installed cluster version that has a `main` cluster, e.g. "15". */
function installedClusterVersion(): string | undefined {
  if (!findOnPath('pg_ctlcluster') || !existsSync(PG_CONFIG_ROOT)) return undefined;
  return readdirSync(PG_CONFIG_ROOT)
    .filter((version) => existsSync(`${PG_CONFIG_ROOT}/${version}/${CLUSTER_NAME}`))
    .sort((a, b) => Number(b) - Number(a))[0];
}
