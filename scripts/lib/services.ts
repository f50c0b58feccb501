/**
 * Runs the project's services as child processes in the foreground, their output prefixed
 * with the service's name, and stops them all cleanly (SIGTERM, then SIGKILL after a bound).
 * Used by `npm start` and `npm run demo`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const projectRoot = path.resolve(__dirname, '..', '..');

export interface ServiceSpec {
  readonly name: string;
  /** Entry file relative to the project root, e.g. `apps/profiler/src/main.ts`. */
  readonly entry: string;
  readonly env?: Record<string, string>;
}

export interface RunningService {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

const STOP_GRACE_MS = 15_000;

/**
 * SERVICE_CPU_PROFILE_DIR=<dir> writes a V8 CPU profile of every service started here into
 * <dir> when it exits (open it in Chrome DevTools): how the benchmarks find where time goes.
 * Node refuses --cpu-prof in NODE_OPTIONS, hence a variable of our own.
 */
const profileArguments = (): string[] => {
  const directory = process.env.SERVICE_CPU_PROFILE_DIR;
  return directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : [];
};

export function startService(spec: ServiceSpec, options: { quiet?: boolean } = {}): RunningService {
  const child = spawn(process.execPath, [...profileArguments(), '-r', '@swc-node/register', spec.entry], {
    cwd: projectRoot,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${spec.name}] `;
  for (const stream of [child.stdout!, child.stderr!]) {
    const lines = readline.createInterface({ input: stream });
    lines.on('line', (line) => {
      if (!options.quiet) process.stdout.write(prefix + line + '\n');
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { spec, child, exited };
}

export async function stopService(service: RunningService): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), STOP_GRACE_MS);
  await service.exited;
  clearTimeout(timer);
}

export const stopAll = (services: readonly RunningService[]) => Promise.all(services.map(stopService));
