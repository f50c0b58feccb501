/**
 * The tools `up` needs to run the broker itself. Each check fails with one line that says
 * how to install what is missing.
 */
import { StackError } from './errors';
import { findOnPath, runCommand } from './proc';

/** Kafka 4.x brokers need Java 17 or later. */
const MIN_JAVA_MAJOR = 17;
const APT_FIX = 'apt-get install -y openjdk-17-jre-headless maven';

export async function requireJava(): Promise<void> {
  if (!findOnPath('java')) {
    throw new StackError(
      `java not found on PATH: the local Kafka broker needs Java ${MIN_JAVA_MAJOR}+ (fix: ${APT_FIX}), or set KAFKA_BROKERS to a running broker`,
    );
  }
  const { output } = await runCommand('java', ['-version'], { timeoutMs: 15_000 });
  const major = javaMajorVersion(output);
  if (major !== undefined && major < MIN_JAVA_MAJOR) {
    throw new StackError(
      `java ${major} found, the Kafka 4 broker needs ${MIN_JAVA_MAJOR}+ (fix: ${APT_FIX}, then select it with update-alternatives --config java)`,
    );
  }
}

export function requireMaven(): void {
  if (!findOnPath('mvn')) {
    throw new StackError(
      `mvn not found on PATH: it fetches the Kafka broker's jars from Maven Central (fix: ${APT_FIX})`,
    );
  }
}

/** `openjdk version "17.0.15"` → 17; `java version "1.8.0_392"` → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}
