/**
 * Debian's Chromium for the dashboard's end-to-end test, installed the way a developer would
 * (`apt-get install -y chromium`) when it is missing. Never a silent skip: if it is missing and
 * cannot be installed, the test fails saying so and how to fix it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL_TIMEOUT_MS = 600_000;

const installed = (): string | undefined => CANDIDATES.find((path) => existsSync(path));

export function ensureChromium(): string {
  const found = installed();
  if (found !== undefined) return found;
  const isRoot = process.getuid?.() === 0;
  const apt = isRoot ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const run = (args: string[]) =>
    spawnSync(apt[0]!, [...apt.slice(1), ...args], {
      encoding: 'utf8',
      timeout: INSTALL_TIMEOUT_MS,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  let result = run(['install', '-y', 'chromium']);
  // A fresh machine has no package lists yet: fetch them once and try again.
  if (result.status !== 0) {
    run(['update']);
    result = run(['install', '-y', 'chromium']);
  }
  const after = installed();
  if (after !== undefined) return after;
  throw new Error(
    `The dashboard's end-to-end test needs Debian's chromium, which is not installed and could not be installed ` +
      `(${apt.join(' ')} install -y chromium exited ${result.status ?? result.signal}: ${(result.stderr ?? result.error?.message ?? '').trim().slice(-500)}). ` +
      `Install it as root with \`apt-get install -y chromium\`.`,
  );
}

/** The version line, for the test's log (and proof that the binary runs). */
export const chromiumVersion = (executablePath: string): string =>
  execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
