import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { testEndpoints } from './env';
import { waitUntil } from './kafka-helpers';

/**
 * A real service (`apps/<name>/src/main.ts`) in a child process: Jest cannot load Nest 12's
 * ES modules in-process on Node 20, and a child also proves the boot from environment
 * variables and the SIGTERM shutdown.
 */
const REPO_ROOT = resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 20_000;

export interface ServiceProcessSpec {
  /** The app's folder name, e.g. `profiler`. */
  readonly name: string;
  /** A log line fragment that says the service has joined its group and consumes. */
  readonly readyLine: string;
  readonly env: Record<string, string>;
}

export class ServiceProcess {
  readonly output: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => this.output.push(line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.output.push(line));
    child.on('exit', (code, signal) => (this.exit = { code, signal }));
  }

  /** Starts the service with the local stack's Kafka and Redis and `env`; resolves once it consumes. */
  static async start(spec: ServiceProcessSpec): Promise<ServiceProcess> {
    const main = resolve(REPO_ROOT, 'apps', spec.name, 'src', 'main.ts');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: testEndpoints.kafkaBrokers.join(','),
        REDIS_URL: testEndpoints.redisUrl,
        LOG_LEVEL: 'info',
        // No health and metrics listener unless a test asks for one: suites run side by side, and
        // the workers' default ports (3001-3003) would collide.
        PROFILER_HTTP_PORT: '0',
        UNDERWRITER_HTTP_PORT: '0',
        LENDING_HTTP_PORT: '0',
        ...spec.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(spec.name, child);
    try {
      await waitUntil(
        `the ${spec.name} to consume`,
        () => {
          if (service.exit) throw new Error(`the ${spec.name} exited at boot:\n${service.output.join('\n')}`);
          return service.logged(spec.readyLine);
        },
        BOOT_TIMEOUT_MS,
      );
    } catch (error) {
      await service.stop().catch(() => undefined);
      throw error;
    }
    return service;
  }

  /** SIGTERM, then waits for a clean exit (SIGKILL after the bound, which fails the caller's expectations). */
  async stop(): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    try {
      await waitUntil(`the ${this.name} to exit`, () => this.exit !== undefined, EXIT_TIMEOUT_MS);
    } catch (error) {
      this.child.kill('SIGKILL');
      throw error;
    }
  }

  logged(fragment: string): boolean {
    return this.output.some((line) => line.includes(fragment));
  }
}
