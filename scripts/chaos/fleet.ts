/**
 * The services under test as child processes that can be SIGKILLed and restarted at will.
 * Each runs through crashable-service.ts (a short group session, nothing else changed). The
 * fleet remembers how often each one was killed, and keeps the last lines each one printed so
 * that a failed run can say what a service said before it died.
 */
import { ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import { projectRoot } from '../lib/services';

export type ServiceName = 'profiler' | 'underwriter' | 'lending' | 'api';
export const SERVICE_NAMES: readonly ServiceName[] = ['profiler', 'underwriter', 'lending', 'api'];

const ENTRIES: Record<ServiceName, string> = {
  profiler: 'apps/profiler/src/main.ts',
  underwriter: 'apps/underwriter/src/main.ts',
  lending: 'apps/lending/src/main.ts',
  api: 'apps/api/src/main.ts',
};
/** The line each service logs once it consumes (or listens): it is up. */
const READY_LINE: Record<ServiceName, RegExp> = {
  profiler: /Profiler is consuming/,
  underwriter: /Underwriter is consuming/,
  lending: /Lending is consuming/,
  api: /API is listening on port/,
};
const LAST_LINES_KEPT = 40;
const STOP_GRACE_MS = 15_000;
const READY_TIMEOUT_MS = 120_000;
const BOOT_ATTEMPTS = 30;
const BOOT_RETRY_MS = 1_000;

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly ready: Promise<void>;
  killedOnPurpose: boolean;
  /** It logged that it is up. */
  up: boolean;
}

class BootFailedError extends Error {}

const instanceKey = (name: ServiceName, instance: number): string =>
  instance === 1 ? name : `${name}#${instance}`;

export interface ServiceTally {
  starts: number;
  kills: number;
  /** Exits nobody asked for, once up: a service that dies by itself under the faults is a finding. */
  unexpectedExits: number;
  /** Boots that failed by themselves (say, the database refusing connections), and were retried. */
  bootFailures: number;
  lastLines: string[];
}

export class ServiceFleet {
  private readonly running = new Map<string, Running>();
  readonly tally = new Map<string, ServiceTally>(
    SERVICE_NAMES.map((name) => [
      name,
      { starts: 0, kills: 0, unexpectedExits: 0, bootFailures: 0, lastLines: [] },
    ]),
  );

  constructor(
    private readonly envOf: (name: ServiceName) => Record<string, string>,
    private readonly echo: boolean,
  ) {}

  /**
   * Starts the service and resolves once it logged that it is up. A boot that fails by itself
   * (the database refusing connections during an outage) is retried, as an orchestrator
   * restarts a container, up to BOOT_ATTEMPTS times.
   */
  async start(name: ServiceName, instance = 1): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.startOnce(name, instance);
      } catch (error) {
        if (!(error instanceof BootFailedError) || attempt >= BOOT_ATTEMPTS) throw error;
        this.tallyOf(name, instance).bootFailures += 1;
        await new Promise((resolve) => setTimeout(resolve, BOOT_RETRY_MS));
      }
    }
  }

  /** The first instance of a service is its name; more (rebalances) are `<name>#<n>`. */
  private tallyOf(name: ServiceName, instance: number): ServiceTally {
    const key = instanceKey(name, instance);
    if (!this.tally.has(key))
      this.tally.set(key, { starts: 0, kills: 0, unexpectedExits: 0, bootFailures: 0, lastLines: [] });
    return this.tally.get(key)!;
  }

  private async startOnce(name: ServiceName, instance: number): Promise<void> {
    const key = instanceKey(name, instance);
    if (this.running.has(key)) throw new Error(`${key} is already running`);
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'scripts/chaos/crashable-service.ts'],
      {
        cwd: projectRoot,
        env: { ...process.env, ...this.envOf(name), CHAOS_SERVICE_ENTRY: ENTRIES[name], LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tally = this.tallyOf(name, instance);
    tally.starts += 1;
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        tally.lastLines.push(line);
        if (tally.lastLines.length > LAST_LINES_KEPT) tally.lastLines.shift();
        if (READY_LINE[name].test(line)) {
          entry.up = true;
          markReady();
        }
        if (this.echo) process.stdout.write(`[${key}] ${line}\n`);
      });
    }
    const entry: Running = {
      child,
      killedOnPurpose: false,
      up: false,
      ready,
      exited: new Promise<void>((resolve) =>
        child.on('exit', () => {
          if (!entry.killedOnPurpose && entry.up) {
            tally.unexpectedExits += 1;
            // The report counts it; the lines say why, where CI's log keeps them.
            process.stdout.write(
              `${key} exited on its own (code ${child.exitCode}, signal ${child.signalCode}); its last lines:\n` +
                tally.lastLines.map((line) => `  [${key}] ${line}\n`).join(''),
            );
          }
          if (this.running.get(key) === entry) this.running.delete(key);
          resolve();
        }),
      ),
    };
    this.running.set(key, entry);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ready,
      entry.exited.then(() => {
        const message = `${name} exited before it was up:\n${tally.lastLines.join('\n')}`;
        throw entry.killedOnPurpose ? new Error(message) : new BootFailedError(message);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${name} not up in ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** SIGKILL: no drain, no commit, no goodbye to the group; resolves once the process is gone. */
  async kill(name: ServiceName, instance = 1): Promise<void> {
    const entry = this.running.get(instanceKey(name, instance));
    if (entry === undefined) return;
    entry.killedOnPurpose = true;
    entry.child.kill('SIGKILL');
    this.tallyOf(name, instance).kills += 1;
    await entry.exited;
  }

  /** SIGTERM (the service drains and leaves its group), SIGKILL after a grace period. */
  async stop(name: ServiceName, instance = 1): Promise<void> {
    const entry = this.running.get(instanceKey(name, instance));
    if (entry === undefined) return;
    entry.killedOnPurpose = true;
    entry.child.kill('SIGTERM');
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), STOP_GRACE_MS);
    await entry.exited;
    clearTimeout(timer);
  }

  /** Until the service is running and up (someone else started it), at most `timeoutMs`: whether it is. */
  async whenUp(name: ServiceName, timeoutMs: number, instance = 1): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.running.get(instanceKey(name, instance))?.up === true) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Running and up (it logged so), now. */
  isUp(name: ServiceName, instance = 1): boolean {
    return this.running.get(instanceKey(name, instance))?.up === true;
  }

  isRunning(name: ServiceName, instance = 1): boolean {
    return this.running.has(instanceKey(name, instance));
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.running.entries()].map(async ([, entry]) => {
        entry.killedOnPurpose = true;
        entry.child.kill('SIGTERM');
        const timer = setTimeout(() => entry.child.kill('SIGKILL'), STOP_GRACE_MS);
        await entry.exited;
        clearTimeout(timer);
      }),
    );
  }
}
