import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { testEndpoints } from '../../support/env';
import { waitUntil } from '../../support/kafka-helpers';

/**
 * The real profiler (apps/profiler/src/main.ts) in a child process: Jest cannot load Nest
 * 12's ES modules in-process on Node 20, and a child also proves the boot from environment
 * variables and the SIGTERM shutdown.
 */
const MAIN = resolve(__dirname, '../../../apps/profiler/src/main.ts');
const REPO_ROOT = resolve(__dirname, '../../..');
const BOOT_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 20_000;

export class ProfilerProcess {
  readonly output: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => this.output.push(line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.output.push(line));
    child.on('exit', (code, signal) => (this.exit = { code, signal }));
  }

  /** Starts the profiler with the local stack's endpoints and `env`; resolves once it consumes. */
  static async start(env: Record<string, string>): Promise<ProfilerProcess> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: testEndpoints.kafkaBrokers.join(','),
        REDIS_URL: testEndpoints.redisUrl,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const profiler = new ProfilerProcess(child);
    try {
      await waitUntil(
        'the profiler to consume',
        () => {
          if (profiler.exit) throw new Error(`the profiler exited at boot:\n${profiler.output.join('\n')}`);
          return profiler.output.some((line) => line.includes('Profiler is consuming'));
        },
        BOOT_TIMEOUT_MS,
      );
    } catch (error) {
      await profiler.stop();
      throw error;
    }
    return profiler;
  }

  /** SIGTERM, then waits for a clean exit (SIGKILL after the bound, which fails the caller's expectations). */
  async stop(): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    try {
      await waitUntil('the profiler to exit', () => this.exit !== undefined, EXIT_TIMEOUT_MS);
    } catch (error) {
      this.child.kill('SIGKILL');
      throw error;
    }
  }

  logged(fragment: string): boolean {
    return this.output.some((line) => line.includes(fragment));
  }
}
