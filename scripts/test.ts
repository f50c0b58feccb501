/**
 * `npm test`: the whole suite, as CI runs it.
 *
 * 1. brings the local stack up (Kafka, Postgres, Redis, migrations, topics) unless the
 *    environment names other endpoints (KAFKA_BROKERS, DATABASE_URL, REDIS_URL);
 * 2. static checks: types, lint (with the architecture rules), the AsyncAPI document is fresh;
 * 3. jest: unit tests and integration tests against the real servers;
 * 4. the chaos suite at CI size (`npm run test:chaos`, docs/reliability.md): one step that
 *    counts as one test, failed by any of its checks.
 *
 * Ends with one line `N passed, N failed` (each static check counts as one test) and exits
 * non-zero on any failure. Extra arguments go to jest (`npm test -- test/profile`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const jestArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(label: string, command: string, args: string[]): void {
  if (run(label, command, args)) passed += 1;
  else failed += 1;
}

const stackReady = run('stack up', 'npm', ['run', '-s', 'stack', '--', 'up']);
if (!stackReady) {
  // Integration tests would fail one by one against missing servers; say why once instead.
  console.error('The local stack did not come up; see the messages above.');
  console.log(`\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

if (jestArgs.length === 0) {
  check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  check('eslint', 'npx', ['eslint', '.']);
  check('architecture rules', 'npx', [
    'depcruise',
    'apps',
    'libs',
    'scripts',
    'test',
    '--config',
    '.dependency-cruiser.cjs',
  ]);
  check('asyncapi document is fresh', 'node', ['-r', '@swc-node/register', 'scripts/asyncapi.ts', '--check']);
}

const reportFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'lendstream-jest-')), 'report.json');
const jestOk = run('jest', 'npx', [
  'jest',
  '--ci',
  '--maxWorkers=2',
  '--json',
  `--outputFile=${reportFile}`,
  ...jestArgs,
]);
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTestSuites: number;
    numFailedTestSuites: number;
    numRuntimeErrorTestSuites: number;
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that fails to load runs no test; count it, or a broken file would pass silently.
  failed += report.numRuntimeErrorTestSuites;
  if (!jestOk && report.numFailedTests === 0 && report.numRuntimeErrorTestSuites === 0) failed += 1;
} catch {
  failed += 1;
}

if (jestArgs.length === 0)
  check('chaos (CI size)', 'node', ['-r', '@swc-node/register', 'scripts/chaos/cli.ts']);

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
