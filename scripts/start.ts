/**
 * `npm start`: brings the local stack up, then runs every service in the foreground.
 * Ctrl-C (or SIGTERM) stops them all cleanly: each drains its batch in flight first.
 */
import { spawnSync } from 'node:child_process';
import { SERVICES } from './lib/service-registry';
import { projectRoot, startService, stopAll } from './lib/services';

async function main(): Promise<void> {
  const stack = spawnSync('npm', ['run', '-s', 'stack', '--', 'up'], { cwd: projectRoot, stdio: 'inherit' });
  if (stack.status !== 0) process.exit(stack.status ?? 1);

  const running = SERVICES.map((spec) => startService(spec));
  console.log(`running ${running.map((service) => service.spec.name).join(', ')}; Ctrl-C stops them`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('stopping services…');
    await stopAll(running);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const service of running) {
    void service.exited.then((code) => {
      if (!stopping) {
        console.error(`${service.spec.name} exited unexpectedly (code ${code}); stopping the others`);
        void stop(1);
      }
    });
  }
}

void main();
