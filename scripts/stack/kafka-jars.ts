/**
 * The broker's jars, fetched from Maven Central by infra/kafka/pom.xml into .stack/kafka/lib.
 * Cached: the directory carries the sha256 of the pom it came from, so a second `up` runs no
 * Maven at all, and a changed pin (a new Kafka version) fetches a fresh, clean set.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { StackError } from './errors';
import { say, seconds } from './log';
import {
  KAFKA_DIR,
  KAFKA_LIB_DIR,
  KAFKA_LIB_STAMP,
  KAFKA_MAVEN_LOG,
  KAFKA_POM,
  REPO_ROOT,
  relative,
} from './paths';
import { requireMaven } from './prerequisites';
import { runCommand } from './proc';

/** A cold ~/.m2 downloads about 45 MB; generous for a slow mirror, but bounded. */
const MAVEN_TIMEOUT_MS = 10 * 60_000;

export function kafkaJarsPresent(): boolean {
  return readStamp() === pomDigest() && brokerJarPresent();
}

export async function ensureKafkaJars(): Promise<void> {
  if (kafkaJarsPresent()) return;
  requireMaven();
  const started = Date.now();
  say('kafka', `fetching broker jars with Maven (${relative(KAFKA_POM)}) into ${relative(KAFKA_LIB_DIR)}…`);
  mkdirSync(KAFKA_DIR, { recursive: true });
  // Copy into a fresh directory, then swap it in: a failed or interrupted fetch never leaves a
  // half-filled lib/, and an old version's jars never share the classpath with a new one's.
  const incoming = `${KAFKA_LIB_DIR}.incoming`;
  rmSync(incoming, { recursive: true, force: true });
  const result = await runCommand(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      KAFKA_POM,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${incoming}`,
    ],
    { timeoutMs: MAVEN_TIMEOUT_MS, cwd: REPO_ROOT },
  );
  writeFileSync(KAFKA_MAVEN_LOG, result.output);
  if (result.exitCode !== 0) {
    rmSync(incoming, { recursive: true, force: true });
    const why = result.timedOut
      ? `timed out after ${MAVEN_TIMEOUT_MS / 60_000} min`
      : `failed (exit ${result.exitCode})`;
    throw new StackError(
      `Maven ${why} fetching the Kafka jars; see ${relative(KAFKA_MAVEN_LOG)} (is Maven Central reachable?)`,
    );
  }
  writeFileSync(`${incoming}/.pom.sha256`, pomDigest());
  rmSync(KAFKA_LIB_DIR, { recursive: true, force: true });
  renameSync(incoming, KAFKA_LIB_DIR);
  say(
    'kafka',
    `fetched ${readdirSync(KAFKA_LIB_DIR).filter((f) => f.endsWith('.jar')).length} jars in ${seconds(started)}`,
  );
}

function pomDigest(): string {
  return createHash('sha256').update(readFileSync(KAFKA_POM)).digest('hex');
}

function readStamp(): string | undefined {
  try {
    return readFileSync(KAFKA_LIB_STAMP, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function brokerJarPresent(): boolean {
  return (
    existsSync(KAFKA_LIB_DIR) && readdirSync(KAFKA_LIB_DIR).some((file) => /^kafka_2\.13-.*\.jar$/.test(file))
  );
}
