/**
 * Runs `scripts/ledger.ts` as `npm run ledger` does (swc-node, the repository's tsconfig
 * paths) against a given database, and returns its exit code and output.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REPOSITORY = resolve(__dirname, '../../..');
const CLI_TIMEOUT_MS = 60_000;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runLedgerCli(databaseUrl: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/ledger.ts', ...args], {
      cwd: REPOSITORY,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `ledger ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, CLI_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
