/**
 * The local broker's process: format its storage once, start it detached, know whether the
 * process on file is really ours, wait until it serves, stop it cleanly.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_BROKER, parseHostPort } from './endpoints';
import { StackError } from './errors';
import { describeCluster } from './kafka-admin';
import { renderServerProperties } from './kafka-config';
import { ensureKafkaJars } from './kafka-jars';
import { say, seconds } from './log';
import {
  KAFKA_BROKER_LOG,
  KAFKA_BROKER_PID,
  KAFKA_DATA_DIR,
  KAFKA_DIR,
  KAFKA_LIB_DIR,
  KAFKA_LOG4J2_CONFIG,
  KAFKA_SERVER_PROPERTIES,
  relative,
} from './paths';
import { requireJava } from './prerequisites';
import { commandLineOf, isAlive, runCommand, tailOf } from './proc';
import { canConnect, sleep, waitUntil } from './wait';

/** Sized for a 2-core machine; G1 with a short pause target keeps test latencies steady. */
const JVM_OPTIONS = [
  '-Xms512m',
  '-Xmx1g',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-Djava.awt.headless=true',
];
/** Seen here: ready in 2-4 s. The bound covers a cold JIT on a loaded 2-core machine. */
const START_TIMEOUT_MS = 90_000;
/** Seen here: a clean shutdown takes about 2 s. After this, SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;
const FORMAT_TIMEOUT_MS = 60_000;
export const LOCAL_BROKERS = [`${LOCAL_BROKER.host}:${LOCAL_BROKER.port}`];

/** The pid of the broker this stack started, if it is still running; undefined otherwise. */
export function runningBrokerPid(): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(KAFKA_BROKER_PID, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  // A pid file can outlive its process and the pid be reused: check it is our broker.
  const argv = commandLineOf(pid);
  if (argv === undefined) return pid; // no /proc (macOS): trust a live pid
  return argv.includes('kafka.Kafka') && argv.includes(KAFKA_SERVER_PROPERTIES) ? pid : undefined;
}

/** Fetches jars, formats storage if new, starts the broker detached and waits until it serves. */
export async function startBroker(partitions: number): Promise<number> {
  await requireJava();
  await ensureKafkaJars();
  mkdirSync(KAFKA_DATA_DIR, { recursive: true });
  writeFileSync(KAFKA_SERVER_PROPERTIES, renderServerProperties({ dataDir: KAFKA_DATA_DIR, partitions }));
  await formatStorageOnce();

  const started = Date.now();
  const log = openSync(KAFKA_BROKER_LOG, 'a');
  writeFileSync(log, `\n===== broker start ${new Date().toISOString()} =====\n`);
  const child = spawn(
    'java',
    [
      ...JVM_OPTIONS,
      `-Dlog4j2.configurationFile=file:${KAFKA_LOG4J2_CONFIG}`,
      '-cp',
      path.join(KAFKA_LIB_DIR, '*'),
      'kafka.Kafka',
      KAFKA_SERVER_PROPERTIES,
    ],
    {
      cwd: KAFKA_DIR,
      // Its own process group and no pipes to us: the broker outlives this command.
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined)
    throw new StackError(`could not start java for the broker; see ${relative(KAFKA_BROKER_LOG)}`);
  child.unref();
  writeFileSync(KAFKA_BROKER_PID, `${pid}\n`);
  say('kafka', `starting broker (pid ${pid}), log ${relative(KAFKA_BROKER_LOG)}…`);

  await waitUntilServing({ pid });
  say('kafka', `broker ready on ${LOCAL_BROKERS[0]} in ${seconds(started)}`);
  return pid;
}

export interface ServingWait {
  /** The broker process we started: if it dies, stop waiting and show its log. */
  readonly pid?: number;
  readonly brokers?: readonly string[];
  readonly timeoutMs?: number;
  readonly hint?: string;
}

/** TCP connect first (cheap), then a real admin request: the port opens only once the broker is ready. */
export async function waitUntilServing(options: ServingWait = {}): Promise<void> {
  const { pid, brokers = LOCAL_BROKERS, timeoutMs = START_TIMEOUT_MS } = options;
  const first = parseHostPort(brokers[0]!);
  await waitUntil(
    async () => {
      if (pid !== undefined && !isAlive(pid)) {
        const tail = tailOf(KAFKA_BROKER_LOG, 8);
        throw new StackError(
          `the broker exited during start-up; see ${relative(KAFKA_BROKER_LOG)}${tail ? `:\n${indent(tail)}` : ''}`,
        );
      }
      if (!(await canConnect(first.host, first.port, 1_000))) return false;
      return describeCluster(brokers).then(
        () => true,
        () => false,
      );
    },
    {
      what: `the Kafka broker on ${brokers.join(',')}`,
      timeoutMs,
      intervalMs: 300,
      hint: options.hint ?? `see ${relative(KAFKA_BROKER_LOG)}`,
    },
  );
}

/** SIGTERM (Kafka's clean shutdown), wait, then SIGKILL if it is still there. Returns how it ended. */
export async function stopBroker(pid: number): Promise<'clean' | 'killed'> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  let outcome: 'clean' | 'killed' = 'clean';
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    outcome = 'killed';
    await waitUntil(async () => !isAlive(pid), {
      what: `broker pid ${pid} to die after SIGKILL`,
      timeoutMs: 10_000,
    });
  }
  rmSync(KAFKA_BROKER_PID, { force: true });
  return outcome;
}

export function forgetBrokerPid(): void {
  rmSync(KAFKA_BROKER_PID, { force: true });
}

export function purgeBrokerData(): void {
  rmSync(KAFKA_DATA_DIR, { recursive: true, force: true });
}

/** KRaft storage needs a cluster id written once; meta.properties says it has been. */
async function formatStorageOnce(): Promise<void> {
  if (existsSync(path.join(KAFKA_DATA_DIR, 'meta.properties'))) return;
  const clusterId = newClusterId();
  const result = await runCommand(
    'java',
    [
      `-Dlog4j2.configurationFile=file:${KAFKA_LOG4J2_CONFIG}`,
      '-cp',
      path.join(KAFKA_LIB_DIR, '*'),
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '-t',
      clusterId,
      '-c',
      KAFKA_SERVER_PROPERTIES,
    ],
    { timeoutMs: FORMAT_TIMEOUT_MS, cwd: KAFKA_DIR },
  );
  if (result.exitCode !== 0) {
    throw new StackError(
      `formatting Kafka storage in ${relative(KAFKA_DATA_DIR)} failed: ${lastLine(result.output)}`,
    );
  }
  say('kafka', `formatted storage ${relative(KAFKA_DATA_DIR)} (cluster id ${clusterId})`);
}

/**
 * What `kafka-storage random-uuid` prints, without a JVM start: 16 random bytes in base64url
 * (22 characters). Kafka refuses ids that start with '-' (they read as a command-line flag).
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function lastLine(output: string): string {
  return output.trim().split('\n').pop() ?? '(no output)';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
