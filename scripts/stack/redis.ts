/**
 * Redis for the stack: the machine's redis-server, started by `up` only if it is not running
 * (as the CI machine's own start command does: no persistence, Redis holds derived state
 * only), and then remembered so that `down` stops only that.
 */
import { mkdirSync } from 'node:fs';
import Redis from 'ioredis';
import { isLoopback, type HostPort } from './endpoints';
import { StackError } from './errors';
import { say, seconds } from './log';
import { findOnPath, runCommand } from './proc';
import { readState, updateState } from './state';
import { canConnect, waitUntil } from './wait';

const REDIS_DIR = '/var/lib/redis';
const REDIS_LOG_DIR = '/var/log/redis';
const START_TIMEOUT_MS = 15_000;

export async function ensureRedis(endpoint: HostPort): Promise<void> {
  const where = `${endpoint.host}:${endpoint.port}`;
  if (await canConnect(endpoint.host, endpoint.port)) return;
  if (!isLoopback(endpoint.host)) {
    throw new StackError(
      `Redis at ${where} (REDIS_URL) is not reachable; start it, or unset REDIS_URL to use the local one`,
    );
  }
  if (!findOnPath('redis-server')) {
    throw new StackError(
      `Redis is not running on ${where} and redis-server is not installed (fix: apt-get install -y redis-server), or set REDIS_URL`,
    );
  }
  const started = Date.now();
  say('redis', `not running on ${where}: starting redis-server…`);
  mkdirSync(REDIS_DIR, { recursive: true });
  mkdirSync(REDIS_LOG_DIR, { recursive: true });
  const logFile = `${REDIS_LOG_DIR}/ci.log`;
  const result = await runCommand(
    'redis-server',
    [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '-::1',
      '--port',
      String(endpoint.port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      REDIS_DIR,
      '--logfile',
      logFile,
    ],
    { timeoutMs: START_TIMEOUT_MS },
  );
  if (result.exitCode !== 0) {
    throw new StackError(`redis-server failed to start (exit ${result.exitCode}); see ${logFile}`);
  }
  updateState((state) => {
    state.redis = { host: endpoint.host, port: endpoint.port, startedAt: new Date().toISOString() };
  });
  await waitUntil(() => canConnect(endpoint.host, endpoint.port), {
    what: `Redis on ${where}`,
    timeoutMs: START_TIMEOUT_MS,
    hint: `see ${logFile}`,
  });
  say('redis', `started on ${where} in ${seconds(started)}`);
}

/** Stops redis-server if `up` started it; returns whether it did. */
export async function stopRedisIfOurs(): Promise<boolean> {
  const ours = readState().redis;
  if (!ours) return false;
  if (await canConnect(ours.host, ours.port)) {
    const redis = connect(`redis://${ours.host}:${ours.port}`);
    // The server closes the connection as it goes, so the reply is an error: expected.
    await redis.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    redis.disconnect();
    await waitUntil(async () => !(await canConnect(ours.host, ours.port)), {
      what: `Redis on ${ours.host}:${ours.port} to stop`,
      timeoutMs: START_TIMEOUT_MS,
    });
  }
  updateState((state) => {
    delete state.redis;
  });
  return true;
}

export interface RedisStatus {
  readonly reachable: boolean;
  readonly pid?: number;
  readonly version?: string;
}

export async function redisStatus(endpoint: HostPort, url: string): Promise<RedisStatus> {
  if (!(await canConnect(endpoint.host, endpoint.port))) return { reachable: false };
  const redis = connect(url);
  try {
    await redis.connect();
    const info = await redis.info('server');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    const pid = Number(field('process_id'));
    return { reachable: true, version: field('redis_version'), ...(pid ? { pid } : {}) };
  } catch {
    return { reachable: true };
  } finally {
    redis.disconnect();
  }
}

/** One attempt, bounded, no reconnect loop: the stack reports rather than retries forever. */
function connect(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // failures surface through the awaited calls
  return redis;
}
