/**
 * Where the local stack keeps its files. Everything it writes lives under `.stack/`
 * (git-ignored), so `rm -rf .stack` is a full reset; the checked-in inputs (the pom that pins
 * the broker, its logging config) live under `infra/kafka/`.
 */
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const STACK_DIR = path.join(REPO_ROOT, '.stack');
/** What `up` started (PostgreSQL, Redis), so that `down` stops only those. */
export const STATE_FILE = path.join(STACK_DIR, 'state.json');
/** Held while `up` or `down` runs: engineers share one work tree and one broker. */
export const LOCK_FILE = path.join(STACK_DIR, 'stack.lock');

export const KAFKA_INFRA_DIR = path.join(REPO_ROOT, 'infra', 'kafka');
export const KAFKA_POM = path.join(KAFKA_INFRA_DIR, 'pom.xml');
export const KAFKA_LOG4J2_CONFIG = path.join(KAFKA_INFRA_DIR, 'log4j2.properties');

export const KAFKA_DIR = path.join(STACK_DIR, 'kafka');
export const KAFKA_LIB_DIR = path.join(KAFKA_DIR, 'lib');
/** Holds the sha256 of the pom the jars in lib/ came from: a changed pin re-fetches them. */
export const KAFKA_LIB_STAMP = path.join(KAFKA_LIB_DIR, '.pom.sha256');
export const KAFKA_DATA_DIR = path.join(KAFKA_DIR, 'data');
export const KAFKA_SERVER_PROPERTIES = path.join(KAFKA_DIR, 'server.properties');
export const KAFKA_BROKER_LOG = path.join(KAFKA_DIR, 'broker.log');
export const KAFKA_BROKER_PID = path.join(KAFKA_DIR, 'broker.pid');
export const KAFKA_MAVEN_LOG = path.join(KAFKA_DIR, 'maven.log');

/** Repo-relative form for messages: shorter, and the same on every machine. */
export function relative(file: string): string {
  return path.relative(REPO_ROOT, file) || '.';
}
